"use client";
/**
 * The Compare view's two tables: tensors side by side (a, b, Δ per statistic) and eval metrics per
 * spec with deltas. Each Δ column is shaded on its own diverging scale (lib/viz/diverging.ts: blue
 * lower in b, red higher) and carries its raw value in data-value. Names render as text.
 */
import { Fragment, type ReactNode } from "react";
import type { EvalPair, TensorPair } from "@/lib/analysis/compare.ts";
import { divergingScale, type DivergingScale } from "@/lib/viz/diverging.ts";
import { fmtNum, fmtPct } from "@/lib/viz/format.ts";

/** A tensor name that may wrap after its dots (text, never markup). */
const breakable = (name: string) => name.split(/(?<=\.)/).map((part, i) => <Fragment key={i}>{part}<wbr /></Fragment>);

const signed = (v: number | null, f: (v: number) => string) => (v === null ? "–" : `${v > 0 ? "+" : v < 0 ? "−" : ""}${f(Math.abs(v))}`);

function Delta({ v, scale, format, name }: { v: number | null; scale: DivergingScale; format: (v: number) => string; name: string }) {
  return (
    <td className="px-2 py-1 text-right tabular-nums" style={v === null ? undefined : { background: scale.fill(v), color: scale.text(v) }} data-delta={name} data-value={v ?? ""}>
      {signed(v, format)}
    </td>
  );
}

const Cell = ({ children, className = "" }: { children: ReactNode; className?: string }) => <td className={`px-2 py-1 text-right tabular-nums text-slate-700 ${className}`}>{children}</td>;
const Head = ({ labels }: { labels: string[] }) => (
  <thead><tr className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
    {labels.map((l, i) => <th key={l} className={`px-2 py-2 font-medium ${i ? "text-right" : "text-left"}`}>{l}</th>)}
  </tr></thead>
);
const f4 = (v: number) => fmtNum(v, 4);

/** Tensors side by side; `rows` is the slice to show, the scales come from every pair. */
export function TensorPairsTable({ rows, all }: { rows: TensorPair[]; all: TensorPair[] }) {
  const sk = divergingScale(all.map((p) => p.d_kurtosis)), sr = divergingScale(all.map((p) => p.d_ratio)), sa = divergingScale(all.map((p) => p.d_absmax));
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid="compare-tensors">
        <Head labels={["tensor", "kurtosis a", "kurtosis b", "Δ kurtosis", "absmax/std a", "absmax/std b", "Δ absmax/std", "absmax a", "absmax b", "Δ absmax"]} />
        <tbody>
          {rows.map((p) => (
            <tr key={p.name} className="border-b border-slate-100" data-testid="compare-tensor-row">
              <td className="min-w-48 py-1 pr-3 font-mono text-xs text-slate-800">{breakable(p.name)}{!p.a ? <span className="ml-1 text-slate-400">(b only)</span> : !p.b ? <span className="ml-1 text-slate-400">(a only)</span> : null}</td>
              <Cell>{fmtNum(p.a?.kurtosis)}</Cell><Cell>{fmtNum(p.b?.kurtosis)}</Cell><Delta v={p.d_kurtosis} scale={sk} format={f4} name="kurtosis" />
              <Cell>{fmtNum(p.a?.absmax_over_std)}</Cell><Cell>{fmtNum(p.b?.absmax_over_std)}</Cell><Delta v={p.d_ratio} scale={sr} format={f4} name="absmax_over_std" />
              <Cell>{fmtNum(p.a?.absmax)}</Cell><Cell>{fmtNum(p.b?.absmax)}</Cell><Delta v={p.d_absmax} scale={sa} format={f4} name="absmax" />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Eval metrics per spec, each side against its own FP32. */
export function EvalPairsTable({ rows }: { rows: EvalPair[] }) {
  const sp = divergingScale(rows.map((r) => r.d_ppl)), sk = divergingScale(rows.map((r) => r.d_kl)), st = divergingScale(rows.map((r) => r.d_top1));
  const pct = (v: number) => fmtPct(v, 2);
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid="compare-evals">
        <Head labels={["spec", "ppl a", "ppl b", "Δ ppl", "KL a", "KL b", "Δ KL", "top-1 a", "top-1 b", "Δ top-1"]} />
        <tbody>
          {rows.map((r) => (
            <tr key={r.spec} className="border-b border-slate-100" data-testid="compare-eval-row">
              <td className="py-1 pr-2 font-mono text-sm font-medium text-slate-900">{r.spec}{r.specB && <span className="text-slate-500"> → {r.specB}</span>}</td>
              <Cell>{fmtNum(r.a?.ppl)}</Cell><Cell>{fmtNum(r.b?.ppl)}</Cell><Delta v={r.d_ppl} scale={sp} format={f4} name="ppl" />
              <Cell>{fmtNum(r.a?.kl)}</Cell><Cell>{fmtNum(r.b?.kl)}</Cell><Delta v={r.d_kl} scale={sk} format={f4} name="kl" />
              <Cell>{fmtPct(r.a?.top1_agreement, 2)}</Cell><Cell>{fmtPct(r.b?.top1_agreement, 2)}</Cell><Delta v={r.d_top1} scale={st} format={pct} name="top1" />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
