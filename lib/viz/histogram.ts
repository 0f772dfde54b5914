/**
 * Geometry of a tensor's value histogram with the normal density of the same mean and std,
 * scaled to counts per bin (n * binWidth * pdf), so a Gaussian tensor's bars follow the curve.
 */
import { line, scaleLinear } from "d3";
import type { TensorHistogram } from "../analysis/types.ts";
import { maxOf } from "../tensor/extent.ts";

export interface Bar { x0: number; x1: number; count: number; x: number; y: number; width: number; height: number }
export interface HistogramGeometry {
  bars: Bar[];
  /** SVG path of the normal curve, "" when std is missing or 0 */
  curve: string;
  xTicks: Array<{ value: number; x: number }>;
  yTicks: Array<{ value: number; y: number }>;
  total: number;
  width: number; height: number;
  margin: { top: number; right: number; bottom: number; left: number };
}

export const HISTOGRAM_MARGIN = { top: 8, right: 12, bottom: 28, left: 48 };

/** Normal density at x. */
export function normalPdf(x: number, mean: number, std: number): number {
  const z = (x - mean) / std;
  return Math.exp(-0.5 * z * z) / (std * Math.sqrt(2 * Math.PI));
}

/** Bars, curve and ticks for a `width` x `height` SVG; the y domain covers both bars and curve peak. */
export function histogramGeometry(
  h: TensorHistogram, mean: number | null, std: number | null, width: number, height: number, margin = HISTOGRAM_MARGIN,
): HistogramGeometry {
  const n = h.counts.length;
  const total = h.counts.reduce((a, b) => a + b, 0);
  const bw = n ? (h.hi - h.lo) / n : 0;
  const hasCurve = mean !== null && std !== null && std > 0 && bw > 0;
  const peakCurve = hasCurve ? total * bw * normalPdf(mean, mean, std) : 0;
  const yMax = Math.max(1, maxOf(h.counts), peakCurve);
  const lo = h.lo === h.hi ? h.lo - 0.5 : h.lo, hi = h.lo === h.hi ? h.hi + 0.5 : h.hi;
  const x = scaleLinear().domain([lo, hi]).range([margin.left, width - margin.right]);
  const y = scaleLinear().domain([0, yMax]).nice().range([height - margin.bottom, margin.top]);
  const bars = h.counts.map((count, i) => {
    const x0 = h.lo + i * bw, x1 = h.lo + (i + 1) * bw;
    const px0 = h.lo === h.hi ? x(lo) : x(x0), px1 = h.lo === h.hi ? x(hi) : x(x1);
    return { x0, x1, count, x: px0, y: y(count), width: Math.max(0, px1 - px0 - (n > 80 ? 0 : 1)), height: y(0) - y(count) };
  });
  let curve = "";
  if (hasCurve) {
    const pts = Array.from({ length: 121 }, (_, i) => lo + ((hi - lo) * i) / 120);
    curve = line<number>().x((v) => x(v)).y((v) => y(total * bw * normalPdf(v, mean, std)))(pts) ?? "";
  }
  return {
    bars, curve, total, width, height, margin,
    xTicks: x.ticks(6).map((value) => ({ value, x: x(value) })),
    yTicks: y.ticks(4).map((value) => ({ value, y: y(value) })),
  };
}
