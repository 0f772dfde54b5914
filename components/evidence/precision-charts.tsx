/** Accuracy (absolute or relative to FP16) against precision: one small line chart per family. */
import type { PrecisionPoint } from "@/lib/store/evidence-explorer.ts";
import { lineGeometry } from "@/lib/viz/line-chart.ts";
import { FP16_BITS, precisionSeries, type Measure } from "@/lib/viz/evidence-series.ts";
import { LineChartSvg } from "./line-chart-svg.tsx";

const W = 340, H = 210;

export function PrecisionCharts({ points, measure }: { points: PrecisionPoint[]; measure: Measure }) {
  const families = precisionSeries(points, measure);
  if (families.length === 0) return <p className="text-sm text-slate-500">No quantized rows match the filters.</p>;
  return (
    <div className="grid grid-cols-1 gap-5 md:grid-cols-2 lg:grid-cols-3" data-testid="precision-charts">
      {families.map(({ family, series }) => (
        <div key={family} className="min-w-0">
          <h3 className="mb-1 text-sm font-semibold text-slate-800">{family} <span className="font-normal text-slate-400">· {series.length} lines</span></h3>
          <LineChartSvg testId={`precision-chart-${family}`} xLabel="bits (FP16 = 16)" yLabel={measure === "relative" ? "% of FP16" : "score (points)"}
            g={lineGeometry(series, W, H, { xKind: "point", xOrder: "desc" })} format={(v) => (v === FP16_BITS ? "FP16" : String(v))} maxLegend={6} />
        </div>
      ))}
    </div>
  );
}
