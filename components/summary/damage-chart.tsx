"use client";
/**
 * Measured damage: KL divergence from FP32 per spec as horizontal bars on a log scale (geometry in
 * lib/viz/damage-chart.ts), stretched to its card's width; each bar is coloured by the spec's
 * recommendation bucket when one is known and carries its exact value in a <title>.
 */
import { useEffect, useRef, useState } from "react";
import { damageChart, type DamagePoint } from "@/lib/viz/damage-chart.ts";
import type { Bucket } from "@/lib/recommend/types.ts";
import { fmtNum } from "@/lib/viz/format.ts";

/** Bar colours per bucket (Tailwind emerald / amber / rose 500), slate when the spec was not sorted. */
export const BUCKET_FILL: Record<Bucket | "unknown", string> = {
  recommended: "#10b981", acceptable: "#f59e0b", avoid: "#f43f5e", unknown: "#94a3b8",
};
const MIN_WIDTH = 320;

export function DamageChart({ points, bucketOf }: { points: DamagePoint[]; bucketOf: (spec: string) => Bucket | null }) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(520);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.max(MIN_WIDTH, el.clientWidth)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const g = damageChart(points, width);
  const { margin: m } = g;
  const used = new Set(g.bars.map((b) => bucketOf(b.spec) ?? "unknown"));
  return (
    <figure className="min-w-0">
      <div ref={box}>
        <svg width={g.width} height={g.height} role="img" aria-label="KL divergence from FP32 per spec (log scale)" data-testid="damage-chart" data-bars={g.bars.length}>
          {g.ticks.map((t) => (
            <g key={t.value}>
              <line x1={t.x} x2={t.x} y1={m.top} y2={g.height - m.bottom} className="stroke-slate-100" />
              <text x={t.x} y={g.height - m.bottom + 14} textAnchor="middle" className="fill-slate-500 text-[10px] tabular-nums">{t.label}</text>
            </g>
          ))}
          <text x={(m.left + g.width - m.right) / 2} y={g.height - 2} textAnchor="middle" className="fill-slate-400 text-[10px]">KL divergence from FP32 (nats, log scale)</text>
          {g.bars.map((b) => (
            <g key={b.spec} data-testid="damage-bar" data-spec={b.spec}>
              <text x={m.left - 8} y={b.y + b.height / 2} dy="0.32em" textAnchor="end" className="fill-slate-700 font-mono text-[11px]">{b.spec}</text>
              <rect x={b.x} y={b.y} width={b.width} height={b.height} rx={3} fill={BUCKET_FILL[bucketOf(b.spec) ?? "unknown"]}>
                <title>{`${b.spec}: KL ${fmtNum(b.kl, 4)} nats`}</title>
              </rect>
              <text x={b.x + b.width + 5} y={b.y + b.height / 2} dy="0.32em" className="fill-slate-600 text-[10px] tabular-nums">{fmtNum(b.kl, 3)}</text>
            </g>
          ))}
        </svg>
      </div>
      <figcaption className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-[11px] text-slate-600">
        {(["recommended", "acceptable", "avoid", "unknown"] as const).filter((k) => used.has(k)).map((k) => (
          <span key={k} className="inline-flex items-center gap-1.5">
            <span className="inline-block h-2.5 w-2.5 rounded-sm" style={{ background: BUCKET_FILL[k] }} />{k === "unknown" ? "not sorted" : k}
          </span>
        ))}
        {g.skipped.length > 0 && <span className="text-slate-400">no KL measured: {g.skipped.join(", ")}</span>}
      </figcaption>
    </figure>
  );
}
