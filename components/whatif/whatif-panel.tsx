"use client";
/**
 * What-if tab: pick bits, group size and method; see each linear weight's SQNR (precomputed RTN errors,
 * analysis.quantErrors) and the model size at once. Calibrated methods (AWQ, GPTQ, SmoothQuant) need
 * activations, so their damage is only known from an evaluation run; nothing here estimates it.
 */
import { useMemo, useState } from "react";
import { Card, Stat } from "@/components/ui/card.tsx";
import { quantizedLinears, weightMemory } from "@/lib/quant/memory.ts";
import type { ViewState } from "@/lib/analysis/types.ts";
import { layerOf, moduleOf } from "@/lib/formats/names.ts";
import { fmtBytes, fmtDb } from "@/lib/viz/format.ts";
import { baselineLabel } from "@/lib/analysis/stored-quant.ts";
import { StoredQuantNote } from "@/components/overview/stored-quant-note.tsx";
import { isQuantizedLinear, weightSpec, WHATIF_BITS, WHATIF_GROUP_SIZES } from "@/lib/quant/whatif.ts";
import type { PanelProps } from "@/components/dashboard/panel-props.ts";

type Method = ViewState["whatif"]["method"];
const METHODS: Array<{ id: Method; label: string; note: string }> = [
  { id: "rtn", label: "RTN", note: "round to nearest, no calibration" },
  { id: "awq", label: "AWQ", note: "activation-aware scaling" },
  { id: "gptq", label: "GPTQ", note: "second-order error compensation" },
  { id: "smoothquant", label: "SmoothQuant", note: "migrates activation outliers into weights" },
];
type SortKey = "model" | "sqnr";

const seg = (on: boolean) => `px-3 h-8 text-sm tabular-nums ${on ? "bg-slate-800 text-white" : "bg-white text-slate-700 hover:bg-slate-50"}`;
/** Colour bands of SQNR: below 10 dB the weight is mostly noise; below 20 dB damage is likely. */
const tone = (db: number) => (db < 10 ? "bg-red-500" : db < 20 ? "bg-amber-500" : "bg-emerald-500");

export function WhatIfPanel({ analysis, view, setView }: PanelProps) {
  const { bits, groupSize, method } = view.whatif;
  const set = (patch: Partial<ViewState["whatif"]>) => setView({ whatif: { ...view.whatif, ...patch } });
  const [sort, setSort] = useState<SortKey>("sqnr");
  const spec = weightSpec(bits, groupSize);
  const linears = useMemo(() => quantizedLinears(analysis.tensors), [analysis]);
  const size = weightMemory(analysis.model.params, linears, bits, groupSize);
  const fp16 = weightMemory(analysis.model.params, linears, 16, groupSize);
  // an already-quantized file: the baseline is its dequantized weights, sizes compare with its real bytes
  const baseline = baselineLabel(analysis.model);

  const rows = useMemo(() => analysis.tensors
    .filter(isQuantizedLinear)
    .map((t, i) => ({ name: t.name, order: i, layer: layerOf(t.name), module: moduleOf(t.name), db: analysis.quantErrors[t.name]?.find((e) => e.spec === spec)?.sqnrDb ?? null })),
  [analysis, spec]);
  const known = rows.filter((r): r is typeof r & { db: number } => r.db !== null);
  const sorted = sort === "sqnr" ? [...known].sort((a, b) => a.db - b.db) : known;
  // a fixed axis over the whole grid, so changing bits visibly moves the bars
  const axisMax = useMemo(() => {
    let m = 0;
    for (const errs of Object.values(analysis.quantErrors)) for (const e of errs) if (Number.isFinite(e.sqnrDb) && e.sqnrDb > m) m = e.sqnrDb;
    return Math.max(m, 1);
  }, [analysis]);
  // every bit width at this group size at once: size and mean SQNR (RTN)
  const ladder = useMemo(() => WHATIF_BITS.map((b) => {
    const sp = weightSpec(b, groupSize);
    const dbs = Object.values(analysis.quantErrors).map((errs) => errs.find((e) => e.spec === sp)?.sqnrDb).filter((v): v is number => v !== undefined && Number.isFinite(v));
    return { bits: b, size: weightMemory(analysis.model.params, linears, b, groupSize).total, mean: dbs.length ? dbs.reduce((x, y) => x + y, 0) / dbs.length : null };
  }), [analysis, linears, groupSize]);
  const finite = known.filter((r) => Number.isFinite(r.db));
  const worst = finite.length ? finite.reduce((a, b) => (b.db < a.db ? b : a)) : null;
  const mean = finite.length ? finite.reduce((s, r) => s + r.db, 0) / finite.length : null;
  const below20 = finite.filter((r) => r.db < 20).length;

  return (
    <div className="space-y-6">
      <Card title="Quantization what-if">
        <StoredQuantNote model={analysis.model} where="whatif" />
        <div className="flex flex-wrap items-end gap-6">
          <div>
            <div className="mb-1 text-xs text-slate-500">weight bits</div>
            <div role="radiogroup" aria-label="Weight bits" className="inline-flex overflow-hidden rounded-md border border-slate-300 shadow-sm">
              {WHATIF_BITS.map((b) => <button key={b} type="button" role="radio" aria-checked={b === bits} className={seg(b === bits)} onClick={() => set({ bits: b })}>W{b}</button>)}
            </div>
          </div>
          <div>
            <div className="mb-1 text-xs text-slate-500">group size</div>
            <div role="radiogroup" aria-label="Group size" className="inline-flex overflow-hidden rounded-md border border-slate-300 shadow-sm">
              {WHATIF_GROUP_SIZES.map((g) => <button key={g} type="button" role="radio" aria-checked={g === groupSize} className={seg(g === groupSize)} onClick={() => set({ groupSize: g })}>{g === -1 ? "per row" : g}</button>)}
            </div>
          </div>
          <div>
            <div className="mb-1 text-xs text-slate-500">method</div>
            <div role="radiogroup" aria-label="Method" className="inline-flex overflow-hidden rounded-md border border-slate-300 shadow-sm">
              {METHODS.map((m) => <button key={m.id} type="button" role="radio" aria-checked={m.id === method} title={m.note} className={seg(m.id === method)} onClick={() => set({ method: m.id })}>{m.label}</button>)}
            </div>
          </div>
        </div>
        <div className="mt-6 grid grid-cols-2 gap-4 sm:grid-cols-4">
          <Stat label={`weights at ${spec}`} value={fmtBytes(size.total)} />
          {baseline
            ? <Stat label="vs this file" value={`${((100 * size.total) / Math.max(1, analysis.model.bytes)).toFixed(1)}% of ${fmtBytes(analysis.model.bytes)}`} />
            : <Stat label="vs 16-bit" value={`${((100 * size.total) / fp16.total).toFixed(1)}%`} />}
          <Stat label="bits per quantized weight" value={size.bitsPerWeight.toFixed(2)} />
          <Stat label={method === "rtn" ? "mean SQNR (RTN)" : "mean SQNR"} value={method === "rtn" ? fmtDb(mean) : "needs evaluation"} />
        </div>
        <div className="mt-6">
          <div className="mb-1.5 text-xs text-slate-500">every bit width at {groupSize === -1 ? "one group per row" : `group size ${groupSize}`} (RTN)</div>
          <div className="grid grid-cols-7 gap-2" data-testid="whatif-ladder">
            {ladder.map((l) => (
              <button key={l.bits} type="button" onClick={() => set({ bits: l.bits })} aria-pressed={l.bits === bits}
                className={`rounded-lg border px-2 py-2 text-left tabular-nums transition-colors ${l.bits === bits ? "border-slate-800 bg-slate-800 text-white" : "border-slate-200 bg-white hover:border-slate-400"}`}>
                <div className="text-xs font-semibold">W{l.bits}</div>
                <div className="text-sm">{fmtBytes(l.size)}</div>
                <div className={`text-xs ${l.bits === bits ? "text-slate-200" : "text-slate-500"}`}>{l.mean === null ? "–" : fmtDb(l.mean)}</div>
              </button>
            ))}
          </div>
        </div>
      </Card>

      {method !== "rtn" && (
        <div className="rounded-xl border border-sky-200 bg-sky-50 p-5 text-sm text-sky-900" data-testid="whatif-needs-eval">
          <p className="font-semibold">{METHODS.find((m) => m.id === method)!.label} needs calibration data</p>
          <p className="mt-1">
            {METHODS.find((m) => m.id === method)!.label} ({METHODS.find((m) => m.id === method)!.note}) chooses its scales from activations
            of real text, so its error cannot be read off the weights alone. Measure it by running an evaluation of <span className="font-mono">{weightSpec(bits, groupSize, method)}</span> on
            this model (Evaluate on your text, below). The size above holds for any method at these bits and group size; the bars below are the round-to-nearest baseline it starts from.
          </p>
        </div>
      )}

      <Card title={`${method === "rtn" ? `SQNR per linear weight at ${spec}` : `RTN baseline at ${spec}`}${baseline ? ` (baseline: ${baseline})` : ""}`}>
        {known.length === 0 ? (
          <p className="rounded-lg bg-slate-50 py-10 text-center text-sm text-slate-500">
            {rows.length === 0 ? "This model has no linear weights to quantize." : `Errors for ${spec} were not computed for this model.`}
          </p>
        ) : (
          <>
            <div className="mb-3 flex flex-wrap items-center gap-3 text-xs text-slate-500">
              <span>sort by</span>
              <div className="inline-flex overflow-hidden rounded-md border border-slate-300">
                <button type="button" className={seg(sort === "sqnr")} onClick={() => setSort("sqnr")}>SQNR, worst first</button>
                <button type="button" className={seg(sort === "model")} onClick={() => setSort("model")}>model order</button>
              </div>
              <span className="ml-auto tabular-nums">{below20} of {known.length} below 20 dB{worst ? ` · worst ${worst.module} in layer ${worst.layer} (${fmtDb(worst.db)})` : ""}</span>
            </div>
            <ol className="max-h-[560px] space-y-0.5 overflow-y-auto pr-1" data-testid="whatif-bars">
              {sorted.map((r) => (
                <li key={r.name}>
                  <button type="button" onClick={() => setView({ tensor: r.name })} title={r.name}
                    className={`grid w-full grid-cols-[9rem_1fr_4.5rem] items-center gap-3 rounded px-1 py-0.5 text-left text-xs hover:bg-slate-50 ${view.tensor === r.name ? "bg-amber-50" : ""}`}>
                    <span className="truncate text-slate-600 tabular-nums">{r.layer === null ? "" : `layer ${r.layer} · `}<span className="font-medium text-slate-800">{r.module}</span></span>
                    <span className="h-3 rounded-sm bg-slate-100">
                      <span className={`block h-3 rounded-sm ${tone(r.db)} ${method === "rtn" ? "" : "opacity-50"}`} style={{ width: `${Math.min(100, (100 * (Number.isFinite(r.db) ? r.db : axisMax)) / axisMax)}%` }} />
                    </span>
                    <span className="text-right tabular-nums">{fmtDb(r.db)}</span>
                  </button>
                </li>
              ))}
            </ol>
            <p className="mt-3 flex flex-wrap gap-4 text-xs text-slate-500">
              <span className="inline-flex items-center gap-1.5"><span className="h-2.5 w-2.5 rounded-sm bg-emerald-500" />≥ 20 dB</span>
              <span className="inline-flex items-center gap-1.5"><span className="h-2.5 w-2.5 rounded-sm bg-amber-500" />10–20 dB</span>
              <span className="inline-flex items-center gap-1.5"><span className="h-2.5 w-2.5 rounded-sm bg-red-500" />&lt; 10 dB</span>
              <span>SQNR = 10 log10(‖w‖² / ‖w − q(w)‖²), asymmetric RTN per group; higher is better, each bit adds about 6 dB.</span>
            </p>
          </>
        )}
      </Card>
    </div>
  );
}
