/** Horizontal colour bar with ticks for a ColourScale (lib/viz/scale.ts). */
import { legendGradient, legendTicks, type ColourScale } from "@/lib/viz/scale.ts";
import { fmtNum } from "@/lib/viz/format.ts";

export function ColorLegend({ scale, label, format = (v: number) => fmtNum(v, 3), width = 240 }:
  { scale: ColourScale; label: string; format?: (v: number) => string; width?: number }) {
  const ticks = legendTicks(scale, 5, format);
  return (
    <div className="inline-block text-[11px] text-slate-500" style={{ width }} aria-label={`colour legend: ${label}`}>
      <div className="mb-1 flex justify-between">
        <span className="font-medium text-slate-600">{label}</span>
        <span>{scale.kind} scale</span>
      </div>
      <div className="h-2.5 rounded-sm border border-slate-200" style={{ background: `linear-gradient(to right, ${legendGradient(16, scale.reverse)})` }} />
      <div className="relative h-4 tabular-nums">
        {ticks.map((t, i) => (
          <span key={i} className="absolute top-0.5 whitespace-nowrap"
            style={{ left: `${t.offset * 100}%`, transform: `translateX(${t.offset < 0.05 ? "0" : t.offset > 0.95 ? "-100%" : "-50%"})` }}>
            {t.label}
          </span>
        ))}
      </div>
    </div>
  );
}
