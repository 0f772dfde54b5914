"use client";
/**
 * Two runs side by side (lib/report/compare-load.ts's Comparison): who they are, the change of one
 * statistic per tensor on a diverging layer x module heatmap, the tensors that changed most, eval
 * metrics per spec with deltas, and both recommendations. Differences are b - a throughout.
 */
import { useState } from "react";
import type { TensorPair } from "@/lib/analysis/compare.ts";
import { pairCounts } from "@/lib/analysis/compare.ts";
import type { CompareSide, Comparison } from "@/lib/report/compare-load.ts";
import type { RecommendationView } from "@/lib/report/recommendation-view.ts";
import { differenceGrid, divergingGradient, divergingScale, type DivergingScale } from "@/lib/viz/diverging.ts";
import { fmtInt, fmtNum } from "@/lib/viz/format.ts";
import { Card } from "@/components/ui/card.tsx";
import { LayerHeatmap } from "@/components/heatmap/layer-heatmap.tsx";
import { EvalPairsTable, TensorPairsTable } from "./compare-tables.tsx";

const METRICS = [
  { id: "kurtosis", label: "Δ kurtosis", pick: (p: TensorPair) => p.d_kurtosis },
  { id: "absmax_over_std", label: "Δ absmax/std", pick: (p: TensorPair) => p.d_ratio },
  { id: "absmax", label: "Δ absmax", pick: (p: TensorPair) => p.d_absmax },
] as const;
/** rows of the tensor table before "show all" */
const FIRST_ROWS = 15;

function Side({ label, side }: { label: string; side: CompareSide }) {
  const m = side.ctx.model;
  return (
    <div className="min-w-0 rounded-lg border border-slate-200 p-3" data-testid={`compare-side-${label}`}>
      <div className="flex items-baseline gap-2">
        <span className="rounded bg-slate-900 px-1.5 text-xs font-semibold text-white">{label}</span>
        <span className="break-all font-mono text-sm font-medium text-slate-900">{m.name}</span>
      </div>
      <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-3 text-xs text-slate-600">
        <dt>format</dt><dd>{m.format} · {fmtInt(m.params)} parameters</dd>
        <dt>run</dt><dd className="break-all font-mono" title={side.runId}>{side.runId}</dd>
        <dt>statistics</dt><dd className="break-all font-mono">{side.ctx.statsRun ?? "none"}</dd>
        <dt>evaluations</dt><dd>{side.evals.length ? side.evals.map((e) => e.spec).join(", ") : "none"}</dd>
      </dl>
    </div>
  );
}

function Legend({ scale, label }: { scale: DivergingScale; label: string }) {
  return (
    <div className="inline-block w-72 text-[11px] text-slate-500" aria-label={`colour legend: ${label}`} data-testid="diverging-legend">
      <div className="mb-1 flex justify-between"><span className="font-medium text-slate-600">{label} (b − a)</span><span>diverging scale</span></div>
      <div className="h-2.5 rounded-sm border border-slate-200" style={{ background: `linear-gradient(to right, ${divergingGradient()})` }} />
      <div className="flex justify-between tabular-nums"><span>−{fmtNum(scale.extent, 3)} lower in b</span><span>0</span><span>higher in b +{fmtNum(scale.extent, 3)}</span></div>
    </div>
  );
}

function Rec({ label, rec }: { label: string; rec: RecommendationView | null }) {
  const chips = (xs: string[], cls: string) => (xs.length ? xs.map((x) => <span key={x} className={`mr-1 mb-1 inline-block rounded px-1.5 py-0.5 font-mono text-xs ${cls}`}>{x}</span>) : <span className="text-xs text-slate-400">none</span>);
  return (
    <div className="min-w-0 rounded-lg border border-slate-200 p-3" data-testid={`compare-rec-${label}`}>
      <div className="mb-2 text-xs font-semibold text-slate-500">run {label}{rec?.inputs.task ? ` · ${rec.inputs.task.replaceAll("_", " ")}` : ""}{rec ? ` · context ${fmtInt(rec.inputs.context)}` : ""}</div>
      {rec ? (
        <div className="space-y-1.5 text-sm">
          <div><span className="mr-2 text-xs text-slate-500">recommended</span>{chips(rec.recommended, "bg-emerald-100 text-emerald-900")}</div>
          <div><span className="mr-2 text-xs text-slate-500">acceptable</span>{chips(rec.acceptable, "bg-amber-100 text-amber-900")}</div>
          <div><span className="mr-2 text-xs text-slate-500">avoid</span>{chips(rec.avoid, "bg-rose-100 text-rose-900")}</div>
        </div>
      ) : <p className="text-sm text-slate-500">No recommendation: the published evidence could not be loaded in this browser.</p>}
    </div>
  );
}

export function CompareView({ cmp }: { cmp: Comparison }) {
  const [metric, setMetric] = useState<(typeof METRICS)[number]>(METRICS[0]);
  const [all, setAll] = useState(false);
  const pairs = cmp.tensors;
  const scale = pairs ? divergingScale(pairs.map(metric.pick)) : null;
  const sorted = pairs ? [...pairs].sort((p, q) => Math.abs(metric.pick(q) ?? -1) - Math.abs(metric.pick(p) ?? -1)) : [];
  const n = pairs ? pairCounts(pairs) : null;
  return (
    <div className="space-y-5" data-testid="compare-view">
      <div className="grid gap-3 md:grid-cols-2"><Side label="a" side={cmp.a} /><Side label="b" side={cmp.b} /></div>
      <Card title="Statistics per tensor">
        {!pairs || !scale || !n ? <p className="text-sm text-slate-600">One side has no statistics run: open its model (or its bundle) to compute one.</p> : (
          <div className="space-y-4">
            <div className="flex flex-wrap items-center justify-between gap-3">
              <p className="text-sm text-slate-700" data-testid="compare-counts">{fmtInt(n.both)} tensors in both runs, {fmtInt(n.onlyA)} only in a, {fmtInt(n.onlyB)} only in b.</p>
              <div role="radiogroup" aria-label="difference shown" className="flex gap-1">
                {METRICS.map((m) => (
                  <button key={m.id} type="button" role="radio" aria-checked={metric.id === m.id} onClick={() => setMetric(m)} data-testid={`compare-metric-${m.id}`}
                    className={`rounded-md border px-2.5 py-1 text-xs font-medium ${metric.id === m.id ? "border-slate-900 bg-slate-900 text-white" : "border-slate-300 text-slate-700 hover:bg-slate-100"}`}>{m.label}</button>
                ))}
              </div>
            </div>
            <LayerHeatmap grid={differenceGrid(pairs, metric.pick, scale)} label={metric.label} format={(v) => `${v > 0 ? "+" : ""}${fmtNum(v, 4)}`} legend={<Legend scale={scale} label={metric.label} />} />
            <TensorPairsTable rows={all ? sorted : sorted.slice(0, FIRST_ROWS)} all={pairs} />
            {sorted.length > FIRST_ROWS && (
              <button type="button" className="text-xs font-medium text-slate-600 underline" onClick={() => setAll(!all)} data-testid="compare-show-all">
                {all ? `Show the ${FIRST_ROWS} largest changes` : `Show all ${fmtInt(sorted.length)} tensors`}
              </button>
            )}
          </div>
        )}
      </Card>
      <Card title="Eval metrics per spec">
        {cmp.evals.length ? <EvalPairsTable rows={cmp.evals} /> : <p className="text-sm text-slate-600">Neither run has evaluation results in this browser.</p>}
        <p className="mt-2 text-xs text-slate-500">Each side is measured against its own FP32. Δ is b − a: for perplexity and KL lower is better, for top-1 agreement higher.</p>
      </Card>
      <Card title="Recommendations side by side"><div className="grid gap-3 md:grid-cols-2"><Rec label="a" rec={cmp.a.rec} /><Rec label="b" rec={cmp.b.rec} /></div></Card>
    </div>
  );
}
