"use client";
/** One tensor in detail: shape and statistics, value histogram against a normal curve, top channels, SQNR. */
import { useEffect, useRef } from "react";
import { Card } from "@/components/ui/card.tsx";
import { layerOf, moduleOf } from "@/lib/formats/names.ts";
import type { ModelAnalysis } from "@/lib/analysis/types.ts";
import { fmtDb, fmtInt, fmtNum, fmtPct } from "@/lib/viz/format.ts";
import { HistogramChart } from "./histogram-chart.tsx";
import type { TensorRow } from "@/lib/analysis/schema.ts";

function Fact({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <div className="flex justify-between gap-3 border-b border-slate-100 py-1 text-sm">
      <dt className="text-slate-500">{label}</dt><dd className="text-right font-medium tabular-nums">{value}</dd>
    </div>
  );
}

function TopChannels({ title, top }: { title: string; top: Array<[number, number]> | null }) {
  if (!top?.length) return null;
  const max = top[0]![1] || 1;
  return (
    <div>
      <h4 className="mb-1.5 text-xs font-medium text-slate-500">{title}</h4>
      <ol className="space-y-0.5">
        {top.slice(0, 8).map(([ch, v]) => (
          <li key={ch} className="grid grid-cols-[3.5rem_1fr_4.5rem] items-center gap-2 text-xs tabular-nums">
            <span className="text-slate-600">#{ch}</span>
            <span className="h-1.5 rounded-full bg-slate-100"><span className="block h-1.5 rounded-full bg-amber-500" style={{ width: `${(100 * v) / max}%` }} /></span>
            <span className="text-right">{fmtNum(v)}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}

export function TensorDetail({ analysis, tensor: t, onClose }: { analysis: ModelAnalysis; tensor: TensorRow; onClose?: () => void }) {
  const h = analysis.histograms[t.name];
  const errors = analysis.quantErrors[t.name] ?? [];
  const headline = ["W8-g128", "W4-g128", "W3-g128"].map((s) => errors.find((e) => e.spec === s)).filter((e) => e !== undefined);
  const layer = layerOf(t.name);
  const ref = useRef<HTMLDivElement>(null);
  // bring a newly opened tensor into view (it opens below the table or the maps)
  useEffect(() => { ref.current?.scrollIntoView?.({ block: "nearest", behavior: "smooth" }); }, [t.name]);
  return (
    <Card className="relative">
      <div ref={ref} data-testid="tensor-detail" className="scroll-mt-4 space-y-4">
        <header className="flex items-start justify-between gap-4">
          <div className="min-w-0">
            <h3 className="font-mono text-sm font-semibold break-all text-slate-900">{t.name}</h3>
            <p className="text-xs text-slate-500">{moduleOf(t.name)}{layer !== null ? ` · layer ${layer}` : ""} · {t.shape.join(" × ")} · {t.dtype} · {fmtInt(t.numel)} values</p>
          </div>
          {onClose && (
            <button type="button" onClick={onClose} aria-label="Close tensor detail"
              className="rounded-md px-2 py-1 text-sm text-slate-500 hover:bg-slate-100 hover:text-slate-900">✕</button>
          )}
        </header>
        <div className="grid gap-6 lg:grid-cols-[1fr_16rem]">
          <div>
            {h ? <HistogramChart histogram={h} mean={t.mean} std={t.std} /> : (
              <p className="rounded-lg bg-slate-50 py-12 text-center text-sm text-slate-500">No histogram for this tensor.</p>
            )}
          </div>
          <dl>
            <Fact label="absmax" value={fmtNum(t.absmax)} />
            <Fact label="mean" value={fmtNum(t.mean)} />
            <Fact label="std" value={fmtNum(t.std)} />
            <Fact label="kurtosis" value={fmtNum(t.kurtosis)} />
            <Fact label="min / max" value={`${fmtNum(t.min)} / ${fmtNum(t.max)}`} />
            <Fact label="absmax / std" value={fmtNum(t.absmax_over_std)} />
            <Fact label=">6σ share" value={fmtPct(t.outlier_fraction)} />
            {(t.nan_count > 0 || t.inf_count > 0) && <Fact label="NaN / Inf" value={`${fmtInt(t.nan_count)} / ${fmtInt(t.inf_count)}`} />}
            <Fact label="zeros" value={fmtInt(t.zero_count)} />
            {headline.map((e) => <Fact key={e.spec} label={`SQNR ${e.spec}`} value={fmtDb(e.sqnrDb)} />)}
          </dl>
        </div>
        {(t.top_input_channels?.length || t.top_output_channels?.length) ? (
          <div className="grid gap-6 sm:grid-cols-2">
            <TopChannels title="Top input channels (columns) by absmax" top={t.top_input_channels} />
            <TopChannels title="Top output channels (rows) by absmax" top={t.top_output_channels} />
          </div>
        ) : null}
      </div>
    </Card>
  );
}
