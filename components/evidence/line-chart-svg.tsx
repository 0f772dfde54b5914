/** An SVG multi-line chart from lib/viz/line-chart.ts geometry, with a legend under it; the component only maps shapes. */
import type { LineGeometry } from "@/lib/viz/line-chart.ts";

export function LineChartSvg({ g, xLabel, yLabel, format = (v: number) => String(v), testId, maxLegend = 12 }: {
  g: LineGeometry; xLabel: string; yLabel: string; format?: (v: number) => string; testId?: string; maxLegend?: number;
}) {
  const { margin: m } = g;
  return (
    <figure data-testid={testId} data-series={g.paths.length} className="min-w-0">
      <svg viewBox={`0 0 ${g.width} ${g.height}`} className="w-full" role="img" aria-label={`${yLabel} by ${xLabel}`}>
        {g.yTicks.map((t) => (
          <g key={`y${t.value}`}>
            <line x1={m.left} x2={g.width - m.right} y1={t.y} y2={t.y} className="stroke-slate-100" />
            <text x={m.left - 4} y={t.y} dy="0.32em" textAnchor="end" className="fill-slate-500 text-[9px]">{t.value}</text>
          </g>
        ))}
        {g.xTicks.map((t) => (
          <text key={`x${t.value}`} x={t.x} y={g.height - m.bottom + 12} textAnchor="middle" className="fill-slate-500 text-[9px]">{format(t.value)}</text>
        ))}
        <text x={(m.left + g.width - m.right) / 2} y={g.height - 3} textAnchor="middle" className="fill-slate-400 text-[9px]">{xLabel}</text>
        <text transform={`translate(9 ${(m.top + g.height - m.bottom) / 2}) rotate(-90)`} textAnchor="middle" className="fill-slate-400 text-[9px]">{yLabel}</text>
        {g.paths.map((p) => (
          <g key={p.key} data-line={p.key}>
            <path d={p.d} fill="none" stroke={p.colour} strokeWidth={1.5} />
            {p.dots.map((d) => <circle key={d.x} cx={d.cx} cy={d.cy} r={2.2} fill={p.colour}><title>{`${p.label} · ${format(d.x)}: ${d.y.toFixed(2)}`}</title></circle>)}
          </g>
        ))}
      </svg>
      <figcaption className="mt-1 flex flex-wrap gap-x-3 gap-y-0.5 text-[11px] text-slate-600">
        {g.paths.slice(0, maxLegend).map((p) => (
          <span key={p.key} className="inline-flex items-center gap-1"><span className="inline-block h-0.5 w-3" style={{ background: p.colour }} />{p.label}</span>
        ))}
        {g.paths.length > maxLegend && <span className="text-slate-400">+{g.paths.length - maxLegend} more</span>}
      </figcaption>
    </figure>
  );
}
