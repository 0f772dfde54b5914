/** Footprint (GB) against expected relative drop (%) of each candidate spec, with the memory budget line. */
import type { SpecResult } from "@/lib/recommend/result.ts";
import { BUCKET_FILL, dropScatterGeometry } from "@/lib/viz/drop-scatter.ts";

const W = 560, H = 280;

export function DropScatterChart({ specs, budgetGb }: { specs: SpecResult[]; budgetGb: number | null }) {
  const g = dropScatterGeometry(specs.map((s) => ({ spec: s.spec, total_gb: s.memory.total_gb, drop_pct: s.aggregate?.mean_rel_drop_pct ?? null, bucket: s.bucket, fits: s.memory.fits })), budgetGb, W, H);
  const m = g.margin;
  const missing = specs.filter((s) => !s.aggregate).map((s) => s.spec);
  return (
    <figure data-testid="drop-scatter" data-dots={g.dots.length}>
      <svg viewBox={`0 0 ${W} ${H}`} className="w-full max-w-2xl" role="img" aria-label="footprint against expected drop">
        {g.yTicks.map((t) => (
          <g key={`y${t.value}`}><line x1={m.left} x2={W - m.right} y1={t.y} y2={t.y} className="stroke-slate-100" />
            <text x={m.left - 4} y={t.y} dy="0.32em" textAnchor="end" className="fill-slate-500 text-[10px]">{t.value}</text></g>
        ))}
        {g.xTicks.map((t) => <text key={`x${t.value}`} x={t.x} y={H - m.bottom + 14} textAnchor="middle" className="fill-slate-500 text-[10px]">{t.value}</text>)}
        <text x={(m.left + W - m.right) / 2} y={H - 3} textAnchor="middle" className="fill-slate-400 text-[10px]">weights + KV cache at the context length (GB)</text>
        <text transform={`translate(11 ${(m.top + H - m.bottom) / 2}) rotate(-90)`} textAnchor="middle" className="fill-slate-400 text-[10px]">expected relative drop (%)</text>
        {g.budgetX !== null && (
          <g><line x1={g.budgetX} x2={g.budgetX} y1={m.top} y2={H - m.bottom} className="stroke-slate-500" strokeDasharray="4 3" />
            <text x={g.budgetX + 4} y={m.top + 10} className="fill-slate-600 text-[10px]">budget {budgetGb} GB</text></g>
        )}
        {g.dots.map((d) => (
          <g key={d.spec} data-spec={d.spec}>
            <circle cx={d.cx} cy={d.cy} r={5} fill={d.fill} fillOpacity={d.fits === false ? 0.3 : 0.9} stroke="white"><title>{`${d.spec}: ${d.total_gb.toFixed(3)} GB, ${d.drop_pct.toFixed(2)}% (${d.bucket})`}</title></circle>
            <text x={d.cx + 7} y={d.cy} dy="0.32em" className="fill-slate-700 text-[10px]">{d.spec}</text>
          </g>
        ))}
      </svg>
      <figcaption className="flex flex-wrap gap-3 text-[11px] text-slate-600">
        {Object.entries(BUCKET_FILL).map(([b, c]) => <span key={b} className="inline-flex items-center gap-1"><span className="inline-block h-2.5 w-2.5 rounded-full" style={{ background: c }} />{b}</span>)}
        <span className="text-slate-400">faded: over the budget</span>
        {missing.length > 0 && <span className="text-slate-400">no evidence figure: {missing.join(", ")}</span>}
      </figcaption>
    </figure>
  );
}
