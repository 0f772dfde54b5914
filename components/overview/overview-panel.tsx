"use client";
/** Overview tab: what the model is (architecture, parameters, storage) and what it needs in memory when quantized. */
import { useMemo, useState } from "react";
import { Card, Stat } from "@/components/ui/card.tsx";
import { kvCacheMemory, kvShapeOf, quantizedLinears, weightMemory } from "@/lib/quant/memory.ts";
import { fmtBytes, fmtCount, fmtInt, fmtNum } from "@/lib/viz/format.ts";
import { moduleOf } from "@/lib/formats/names.ts";
import { MODULE_ORDER_ALL } from "@/lib/viz/modules.ts";
import type { PanelProps } from "@/components/dashboard/panel-props.ts";
import { StoredQuantNote } from "./stored-quant-note.tsx";
import { MetadataTable } from "./metadata-table.tsx";
import { storedQuantTypes } from "@/lib/analysis/stored-quant.ts";
import { maxOf } from "@/lib/tensor/extent.ts";

const WEIGHT_BITS = [16, 8, 4, 3, 2] as const;
const KV_BITS = [16, 8, 4] as const;
const GROUPS = [32, 64, 128, -1] as const;
const control = "h-8 rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-800 shadow-sm tabular-nums focus:border-slate-500 focus:outline-none focus:ring-2 focus:ring-slate-200";

/** Config keys worth showing, with labels, in the order readers report them. */
const CONFIG_FIELDS: Array<[string, string]> = [
  ["architecture", "architecture"], ["dim", "hidden size"], ["hiddenDim", "MLP size"], ["nLayers", "layers"],
  ["nHeads", "attention heads"], ["nKvHeads", "KV heads"], ["vocabSize", "vocabulary"], ["contextLength", "context length"],
  ["ropeTheta", "RoPE θ"], ["normEps", "norm ε"], ["tiedEmbeddings", "tied embeddings"],
];

const showValue = (v: unknown) => (typeof v === "number" ? (Number.isInteger(v) ? fmtInt(v) : fmtNum(v)) : typeof v === "boolean" ? (v ? "yes" : "no") : String(v));

const th = "px-3 py-2 text-xs font-medium text-slate-500";
const td = "px-3 py-1.5 tabular-nums";

export function OverviewPanel({ analysis }: PanelProps) {
  const { model } = analysis;
  const [groupSize, setGroupSize] = useState<number>(128);
  const [ctx, setCtx] = useState<number>(typeof model.config.contextLength === "number" ? model.config.contextLength : 4096);
  const [batch, setBatch] = useState(1);
  const linears = useMemo(() => quantizedLinears(analysis.tensors), [analysis]);
  const kvShape = kvShapeOf(model.config);
  const weights = WEIGHT_BITS.map((b) => weightMemory(model.params, linears, b, groupSize));
  const kv = kvShape ? KV_BITS.map((b) => kvCacheMemory(kvShape, ctx, batch, b)) : [];
  const byModule = useMemo(() => {
    const m = new Map<string, number>();
    for (const t of analysis.tensors) m.set(moduleOf(t.name), (m.get(moduleOf(t.name)) ?? 0) + t.numel);
    return MODULE_ORDER_ALL.filter((k) => m.has(k)).map((k) => ({ module: k, params: m.get(k)! }));
  }, [analysis]);
  const maxModule = Math.max(1, maxOf(byModule.map((m) => m.params)));
  const config = CONFIG_FIELDS.filter(([k]) => model.config[k] !== undefined && model.config[k] !== null);
  const linearParams = linears.reduce((s, l) => s + l.rows * l.cols, 0);

  return (
    <div className="space-y-6">
      <Card title="Model">
        <StoredQuantNote model={model} where="overview" />
        <div className="grid grid-cols-2 gap-4 sm:grid-cols-5">
          <Stat label="model" value={<span className="break-all">{model.name}</span>} />
          <Stat label="format" value={model.format} />
          <Stat label="parameters" value={<span title={fmtInt(model.params)}>{fmtInt(model.params)}</span>} />
          <Stat label="tensors" value={fmtInt(model.tensorCount)} />
          <Stat label="size on disk" value={fmtBytes(model.bytes)} />
        </div>
        <p className="mt-4 text-xs text-slate-500">{analysis.generatedBy}</p>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Architecture">
          {config.length ? (
            <dl className="grid grid-cols-2 gap-x-6 text-sm">
              {config.map(([k, label]) => (
                <div key={k} className="flex justify-between border-b border-slate-100 py-1.5">
                  <dt className="text-slate-500">{label}</dt><dd className="font-medium tabular-nums">{showValue(model.config[k])}</dd>
                </div>
              ))}
            </dl>
          ) : <p className="text-sm text-slate-500">The file carries no architecture metadata.</p>}
        </Card>
        <Card title="Storage">
          <table className="w-full text-sm">
            <thead><tr className="border-b border-slate-200 text-left"><th className={th}>dtype</th><th className={`${th} text-right`}>tensors</th><th className={`${th} text-right`}>parameters</th><th className={`${th} text-right`}>bytes</th></tr></thead>
            <tbody>
              {model.byDtype.map((d) => (
                <tr key={d.dtype} className="border-b border-slate-100">
                  <td className={`${td} font-medium`}>{d.dtype}</td><td className={`${td} text-right`}>{fmtInt(d.tensors)}</td>
                  <td className={`${td} text-right`}>{fmtInt(d.params)}</td><td className={`${td} text-right`}>{fmtBytes(d.bytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3 className="mt-5 mb-2 text-xs font-medium text-slate-500">Parameters by module (shared storage counted per name)</h3>
          <ul className="space-y-1">
            {byModule.map((m) => (
              <li key={m.module} className="grid grid-cols-[4.5rem_1fr_4rem] items-center gap-2 text-xs tabular-nums">
                <span className="text-slate-600">{m.module}</span>
                <span className="h-2 rounded-full bg-slate-100"><span className="block h-2 rounded-full bg-sky-500" style={{ width: `${(100 * m.params) / maxModule}%` }} /></span>
                <span className="text-right">{fmtCount(m.params)}</span>
              </li>
            ))}
          </ul>
        </Card>
      </div>

      <Card title="Memory calculator">
        {storedQuantTypes(model).length > 0 && (
          <p className="mb-3 text-xs text-slate-600" data-testid="memory-vs-file">
            This file holds {fmtBytes(model.bytes)} of tensor data ({storedQuantTypes(model).map((t) => t.dtype).join(", ")}); the rows below re-quantize its dequantized weights.
          </p>
        )}
        <div className="mb-4 flex flex-wrap items-end gap-4 text-sm">
          <label className="flex flex-col gap-1"><span className="text-xs text-slate-500">weight group size</span>
            <select className={control} value={groupSize} onChange={(e) => setGroupSize(Number(e.target.value))}>
              {GROUPS.map((g) => <option key={g} value={g}>{g === -1 ? "per row (g-1)" : `g${g}`}</option>)}
            </select>
          </label>
          <label className="flex flex-col gap-1"><span className="text-xs text-slate-500">context length (tokens)</span>
            <input className={`${control} w-28`} type="number" min={1} step={256} value={ctx}
              onChange={(e) => setCtx(Math.max(1, Math.floor(Number(e.target.value) || 1)))} />
          </label>
          <label className="flex flex-col gap-1"><span className="text-xs text-slate-500">batch</span>
            <input className={`${control} w-20`} type="number" min={1} value={batch}
              onChange={(e) => setBatch(Math.max(1, Math.floor(Number(e.target.value) || 1)))} />
          </label>
          <p className="max-w-md text-xs text-slate-500">
            {fmtInt(linearParams)} linear-layer parameters are quantized; embeddings, norms and lm_head stay at 16 bits.
            Each group stores an fp16 scale and zero point; the KV cache an fp16 scale and zero per token and head.
          </p>
        </div>
        <div className="grid gap-6 lg:grid-cols-[3fr_2fr]">
          <table className="w-full text-sm" data-testid="memory-weights">
            <thead><tr className="border-b border-slate-200 text-left">
              <th className={th}>weights</th><th className={`${th} text-right`}>quantized</th><th className={`${th} text-right`}>scales/zeros</th>
              <th className={`${th} text-right`}>16-bit rest</th><th className={`${th} text-right`}>total</th><th className={`${th} text-right`}>bits/weight</th>
            </tr></thead>
            <tbody>
              {weights.map((w) => (
                <tr key={w.bits} className="border-b border-slate-100">
                  <td className={`${td} font-medium`}>W{w.bits}</td><td className={`${td} text-right`}>{fmtBytes(w.quantized)}</td>
                  <td className={`${td} text-right`}>{fmtBytes(w.overhead)}</td><td className={`${td} text-right`}>{fmtBytes(w.unquantized)}</td>
                  <td className={`${td} text-right font-semibold`}>{fmtBytes(w.total)}</td><td className={`${td} text-right`}>{w.bitsPerWeight.toFixed(2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {kvShape ? (
            <table className="w-full text-sm" data-testid="memory-kv">
              <thead><tr className="border-b border-slate-200 text-left">
                <th className={th}>KV cache</th><th className={`${th} text-right`}>values</th><th className={`${th} text-right`}>scales/zeros</th><th className={`${th} text-right`}>total</th>
              </tr></thead>
              <tbody>
                {kv.map((k) => (
                  <tr key={k.bits} className="border-b border-slate-100">
                    <td className={`${td} font-medium`}>KV{k.bits}</td><td className={`${td} text-right`}>{fmtBytes(k.values)}</td>
                    <td className={`${td} text-right`}>{fmtBytes(k.overhead)}</td><td className={`${td} text-right font-semibold`}>{fmtBytes(k.total)}</td>
                  </tr>
                ))}
              </tbody>
              <caption className="caption-bottom pt-2 text-left text-xs text-slate-500 tabular-nums">
                2 × {kvShape.layers} layers × {kvShape.kvHeads} KV heads × head_dim {kvShape.headDim} × {fmtInt(ctx)} tokens × batch {batch}
              </caption>
            </table>
          ) : <p className="text-sm text-slate-500">The KV cache needs dim, heads and layers, which this file does not state.</p>}
        </div>
        {kvShape && (
          <div className="mt-6 overflow-x-auto">
            <h3 className="mb-2 text-xs font-medium text-slate-500">Weights + KV cache</h3>
            <table className="text-sm" data-testid="memory-total">
              <thead><tr><th className={th} />{kv.map((k) => <th key={k.bits} className={`${th} text-right`}>KV{k.bits}</th>)}</tr></thead>
              <tbody>
                {weights.map((w) => (
                  <tr key={w.bits} className="border-t border-slate-100">
                    <th scope="row" className={`${th} text-left`}>W{w.bits}</th>
                    {kv.map((k) => <td key={k.bits} className={`${td} text-right`}>{fmtBytes(w.total + k.total)}</td>)}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      <MetadataTable rows={analysis.metadata} />
    </div>
  );
}
