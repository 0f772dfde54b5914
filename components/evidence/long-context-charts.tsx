/** Long-context accuracy per spec: by prompt length (LongEval) and by needle position (LongEval 16k, lost in the middle). */
import type { LongContextPoint } from "@/lib/store/evidence-explorer.ts";
import { lineGeometry } from "@/lib/viz/line-chart.ts";
import { longContextSeries } from "@/lib/viz/evidence-series.ts";
import { LineChartSvg } from "./line-chart-svg.tsx";

const W = 340, H = 230;
const POSITION_CHARTS = [
  { bench: "longeval", title: "By needle position, LongEval 16k", testId: "long-context-position" },
  { bench: "litm", title: "By gold document position, lost in the middle", testId: "long-context-litm" },
] as const;

export function LongContextCharts({ byLength, byPosition }: { byLength: LongContextPoint[]; byPosition: LongContextPoint[] }) {
  if (byLength.length === 0 && byPosition.length === 0) return <p className="text-sm text-slate-500">No long-context rows match the filters.</p>;
  return (
    <div className="grid grid-cols-1 gap-5 md:grid-cols-2 lg:grid-cols-3">
      <div className="min-w-0">
        <h3 className="mb-1 text-sm font-semibold text-slate-800">By prompt length</h3>
        <LineChartSvg testId="long-context-length" xLabel="prompt length (k tokens)" yLabel="accuracy (points)"
          g={lineGeometry(longContextSeries(byLength), W, H, { xKind: "linear", yDomain: [0, 100] })} format={(v) => `${v}k`} />
      </div>
      {POSITION_CHARTS.map((c) => (
        <div key={c.bench} className="min-w-0">
          <h3 className="mb-1 text-sm font-semibold text-slate-800">{c.title}</h3>
          <LineChartSvg testId={c.testId} xLabel="position (0 = start, 1 = end)" yLabel="accuracy (points)"
            g={lineGeometry(longContextSeries(byPosition.filter((p) => p.bench === c.bench)), W, H, { xKind: "linear", yDomain: [0, 100] })}
            format={(v) => String(Math.round(v * 100) / 100)} />
        </div>
      ))}
    </div>
  );
}
