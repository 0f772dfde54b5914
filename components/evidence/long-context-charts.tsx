/** Long-context accuracy per spec: by prompt length (LongEval) and by needle position (LongEval 16k, lost in the middle). */
import type { LongContextPoint } from "@/lib/store/evidence-explorer.ts";
import { lineGeometry } from "@/lib/viz/line-chart.ts";
import { longContextSeries } from "@/lib/viz/evidence-series.ts";
import { LineChartSvg } from "./line-chart-svg.tsx";

const W = 480, H = 240;

export function LongContextCharts({ byLength, byPosition }: { byLength: LongContextPoint[]; byPosition: LongContextPoint[] }) {
  if (byLength.length === 0 && byPosition.length === 0) return <p className="text-sm text-slate-500">No long-context rows match the filters.</p>;
  return (
    <div className="grid grid-cols-1 gap-5 lg:grid-cols-2">
      <div className="min-w-0">
        <h3 className="mb-1 text-sm font-semibold text-slate-800">By prompt length</h3>
        <LineChartSvg testId="long-context-length" xLabel="prompt length (k tokens)" yLabel="accuracy (points)"
          g={lineGeometry(longContextSeries(byLength), W, H, { xKind: "linear", yDomain: [0, 100] })} format={(v) => `${v}k`} />
      </div>
      <div className="min-w-0">
        <h3 className="mb-1 text-sm font-semibold text-slate-800">By needle position</h3>
        <LineChartSvg testId="long-context-position" xLabel="needle position (0 = start, 1 = end)" yLabel="accuracy (points)"
          g={lineGeometry(longContextSeries(byPosition), W, H, { xKind: "linear", yDomain: [0, 100] })} format={(v) => String(Math.round(v * 100) / 100)} />
      </div>
    </div>
  );
}
