/** Model x precision heatmap of mean relative drop (%), from lib/viz/evidence-series.ts geometry. */
import type { DropCell } from "@/lib/store/evidence-explorer.ts";
import { dropGridGeometry } from "@/lib/viz/evidence-series.ts";
import { ColorLegend } from "@/components/heatmap/color-legend.tsx";

export function DropHeatmap({ cells }: { cells: DropCell[] }) {
  if (cells.length === 0) return <p className="text-sm text-slate-500">No quantized rows match the filters.</p>;
  const g = dropGridGeometry(cells);
  return (
    <div className="space-y-2">
      <div className="max-h-[560px] overflow-auto">
        <svg width={g.width} height={g.height} role="img" aria-label="relative drop by model and precision" data-testid="drop-heatmap" data-cells={g.rects.length}>
          {g.specs.map((s, i) => (
            <text key={s} x={g.left + i * (g.cell.w + 2) + g.cell.w / 2} y={g.top - 6} textAnchor="start" transform={`rotate(-40 ${g.left + i * (g.cell.w + 2) + g.cell.w / 2} ${g.top - 6})`}
              className="fill-slate-600 text-[10px]">{s}</text>
          ))}
          {g.models.map((m, i) => (
            <text key={m} x={g.left - 6} y={g.top + i * (g.cell.h + 2) + g.cell.h / 2} dy="0.32em" textAnchor="end" className="fill-slate-600 text-[10px]">{m}</text>
          ))}
          {g.rects.map((r) => (
            <g key={`${r.model}|${r.spec}`}>
              <rect x={r.x} y={r.y} width={r.width} height={r.height} fill={r.fill} rx={2}><title>{`${r.model} ${r.spec}: ${r.drop_pct.toFixed(2)}% drop over ${r.pairs} datasets (${r.rows} rows)`}</title></rect>
              <text x={r.x + r.width / 2} y={r.y + r.height / 2} dy="0.32em" textAnchor="middle" className={`pointer-events-none text-[9px] ${g.scale.t(Math.max(0, r.drop_pct)) > 0.6 ? "fill-white" : "fill-slate-800"}`}>
                {r.drop_pct.toFixed(r.drop_pct >= 10 || r.drop_pct <= -10 ? 0 : 1)}
              </text>
            </g>
          ))}
        </svg>
      </div>
      <ColorLegend scale={g.scale} label="mean relative drop (%), gains shown as 0" format={(v) => v.toFixed(0)} />
    </div>
  );
}
