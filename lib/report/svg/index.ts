/** The SVG of any report chart. */
import type { Chart } from "../model.ts";
import { barsSvg } from "./bars.ts";
import { heatmapSvg } from "./heatmap.ts";
import { histogramSvg } from "./histogram.ts";

/** SVG text of `chart` (pure: the same chart gives the same bytes). */
export function chartSvg(chart: Chart): string {
  switch (chart.kind) {
    case "heatmap": return heatmapSvg(chart);
    case "bars": return barsSvg(chart);
    case "histogram": return histogramSvg(chart);
  }
}

/** How many data points a chart draws (each is one element with a data-value attribute). */
export function chartPoints(chart: Chart): number {
  return chart.kind === "heatmap" ? chart.cells.length : chart.kind === "bars" ? chart.bars.length : chart.counts.length;
}
