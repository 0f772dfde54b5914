"use client";
/** The three lists (recommended, acceptable, avoid): each spec with its reason, confidence, footprint, measured run and expandable evidence. */
import type { Recommendation, SpecResult } from "@/lib/recommend/result.ts";
import { BUCKETS, type Bucket } from "@/lib/recommend/types.ts";
import type { Store } from "@/lib/store/store.ts";
import { fmtNum } from "@/lib/viz/format.ts";
import { SpecEvidence } from "./spec-evidence.tsx";

const TONE: Record<Bucket, string> = { recommended: "border-green-300 bg-green-50", acceptable: "border-amber-300 bg-amber-50", avoid: "border-red-300 bg-red-50" };

function SpecCard({ r, store }: { r: SpecResult; store: Store }) {
  return (
    <li className="space-y-1 rounded-md border border-slate-200 bg-white p-2" data-testid={`spec-${r.spec}`}>
      <div className="flex items-baseline justify-between gap-2">
        <span className="font-mono text-sm font-semibold">{r.spec}</span>
        <span className="text-[11px] text-slate-500">{r.memory.total_gb.toFixed(r.memory.total_gb < 1 ? 4 : 2)} GB{r.memory.fits === false ? " · over budget" : ""} · confidence {r.confidence.label}</span>
      </div>
      <p className="text-xs text-slate-700">{r.reason}</p>
      {r.measured && (
        <p className={`text-xs ${r.measured.agrees ? "text-slate-600" : "font-medium text-red-700"}`} data-testid={`measured-${r.spec}`}>
          your run: KL {fmtNum(r.measured.measured.kl, 3)}, top-1 {fmtNum(r.measured.measured.top1_agreement, 3)} → {r.measured.measured_bucket}; {r.measured.text}
        </p>
      )}
      {r.predicted && <p className="text-[11px] text-slate-500">predicted: worst-layer SQNR {r.predicted.worst_sqnr_db.toFixed(1)} dB ({r.predicted.worst})</p>}
      {r.aggregate && <SpecEvidence store={store} testId={`agg-${r.spec}`} title={`evidence: ${r.aggregate.scope}`} detail={r.aggregate.text} ids={r.evidence} />}
      {r.rules.map((f) => (
        <SpecEvidence key={f.rule} store={store} testId={`rule-${r.spec}-${f.rule}`} ids={f.evidence}
          title={`${f.rule} (${f.finding}) → ${f.bucket}${f.holds ? "" : " · data check fails, not used"}${f.applied ? " · decided" : ""}`}
          detail={`${f.condition}: ${f.reason}. Check: ${f.check}`} />
      ))}
    </li>
  );
}

export function SpecLists({ rec, store }: { rec: Recommendation; store: Store }) {
  return (
    <div className="grid grid-cols-1 items-start gap-4 lg:grid-cols-3" data-testid="spec-lists">
      {BUCKETS.map((b) => {
        const specs = rec.specs.filter((s) => s.bucket === b);
        return (
          <section key={b} className={`rounded-lg border p-3 ${TONE[b]}`} data-testid={`list-${b}`}>
            <h3 className="mb-2 text-sm font-semibold capitalize text-slate-800">{b} <span className="font-normal text-slate-500">({specs.length})</span></h3>
            <ul className="space-y-2">{specs.map((s) => <SpecCard key={s.spec} r={s} store={store} />)}</ul>
          </section>
        );
      })}
    </div>
  );
}
