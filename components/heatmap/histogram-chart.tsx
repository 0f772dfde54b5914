"use client";
/** A tensor's value histogram (bars) with the normal curve of the same mean and std (d3 line). */
import { useState } from "react";
import { histogramGeometry } from "@/lib/viz/histogram.ts";
import { fmtInt, fmtNum } from "@/lib/viz/format.ts";
import type { TensorHistogram } from "@/lib/analysis/types.ts";

export function HistogramChart({ histogram, mean, std, width = 560, height = 220 }:
  { histogram: TensorHistogram; mean: number | null; std: number | null; width?: number; height?: number }) {
  const g = histogramGeometry(histogram, mean, std, width, height);
  const [hover, setHover] = useState<number | null>(null);
  const bar = hover === null ? null : g.bars[hover]!;
  return (
    <figure className="relative">
      <svg viewBox={`0 0 ${width} ${height}`} className="h-auto w-full max-w-full" role="img"
        aria-label="value histogram with a normal curve of the same mean and std" onMouseLeave={() => setHover(null)}>
        {g.yTicks.map((t) => (
          <g key={`y${t.value}`}>
            <line x1={g.margin.left} x2={width - g.margin.right} y1={t.y} y2={t.y} className="stroke-slate-100" />
            <text x={g.margin.left - 6} y={t.y + 3} textAnchor="end" className="fill-slate-400 text-[10px] tabular-nums">{fmtInt(t.value)}</text>
          </g>
        ))}
        {g.bars.map((b, i) => (
          <rect key={i} x={b.x} y={b.y} width={Math.max(b.width, 0.5)} height={b.height}
            className={i === hover ? "fill-sky-700" : "fill-sky-500/80"} />
        ))}
        {g.bars.map((b, i) => (
          <rect key={`h${i}`} x={b.x} y={g.margin.top} width={Math.max(b.width + 1, 1)} height={height - g.margin.top - g.margin.bottom}
            fill="transparent" onMouseEnter={() => setHover(i)} />
        ))}
        {g.curve && <path d={g.curve} fill="none" className="stroke-rose-600" strokeWidth={1.5} pointerEvents="none" />}
        <line x1={g.margin.left} x2={width - g.margin.right} y1={height - g.margin.bottom} y2={height - g.margin.bottom} className="stroke-slate-300" />
        {g.xTicks.map((t) => (
          <text key={`x${t.value}`} x={t.x} y={height - g.margin.bottom + 14} textAnchor="middle" className="fill-slate-500 text-[10px] tabular-nums">{fmtNum(t.value, 3)}</text>
        ))}
      </svg>
      {bar && (
        <div role="tooltip" className="pointer-events-none absolute top-1 right-2 rounded-md border border-slate-200 bg-white/95 px-2 py-1 text-xs tabular-nums shadow">
          [{fmtNum(bar.x0, 5)}, {fmtNum(bar.x1, 5)}): <span className="font-semibold">{fmtInt(bar.count)}</span> values
        </div>
      )}
      <figcaption className="mt-1 flex flex-wrap gap-4 text-xs text-slate-500">
        <span className="inline-flex items-center gap-1.5"><span className="inline-block h-2.5 w-2.5 bg-sky-500/80" />values ({fmtInt(g.total)})</span>
        {g.curve && <span className="inline-flex items-center gap-1.5"><span className="inline-block h-0.5 w-4 bg-rose-600" />normal, same mean and std</span>}
      </figcaption>
    </figure>
  );
}
