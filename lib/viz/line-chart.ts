/**
 * Geometry of a small multi-line chart (pure, for tests in Node): x on a point scale (equally
 * spaced categories such as bit widths 16, 8, 4, 3, 2) or a linear one (prompt length, needle
 * position), y linear from the data (or a fixed domain); one SVG path and its dots per series.
 */
import { line, scaleLinear, scalePoint, schemeTableau10 } from "d3";
import { maxOf, minOf } from "../tensor/extent.ts";

export interface SeriesPoint { x: number; y: number }
export interface Series { key: string; label: string; points: SeriesPoint[] }

export interface LineGeometry {
  paths: Array<{ key: string; label: string; d: string; colour: string; dots: Array<SeriesPoint & { cx: number; cy: number }> }>;
  xTicks: Array<{ value: number; x: number }>;
  yTicks: Array<{ value: number; y: number }>;
  width: number; height: number;
  margin: { top: number; right: number; bottom: number; left: number };
}

export const LINE_MARGIN = { top: 10, right: 12, bottom: 28, left: 40 };

export interface LineOptions {
  /** "point": each distinct x equally spaced, in `xOrder` ("desc": 16 on the left); "linear": by value */
  xKind: "point" | "linear";
  xOrder?: "asc" | "desc";
  /** fixed y domain; default the data's extent, widened to include 0 when `zero` */
  yDomain?: [number, number];
  zero?: boolean;
  margin?: typeof LINE_MARGIN;
}

/** Colour of the i-th series (d3's Tableau10, cycling). */
export const seriesColour = (i: number) => schemeTableau10[i % schemeTableau10.length]!;

/** Paths, dots and ticks of `series` in a `width` x `height` SVG; points of a series are joined in x order. */
export function lineGeometry(series: Series[], width: number, height: number, o: LineOptions): LineGeometry {
  const m = o.margin ?? LINE_MARGIN;
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => (o.xOrder === "desc" ? b - a : a - b));
  const ys = series.flatMap((s) => s.points.map((p) => p.y)).filter(Number.isFinite);
  let [lo, hi] = o.yDomain ?? [minOf(ys), maxOf(ys)];
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (o.zero) { lo = Math.min(lo, 0); hi = Math.max(hi, 0); }
  if (lo === hi) hi = lo + 1;
  const y = scaleLinear().domain([lo, hi]).nice(5).range([height - m.bottom, m.top]);
  const point = scalePoint<number>().domain(xs).range([m.left, width - m.right]).padding(0.3);
  const lin = scaleLinear().domain(xs.length ? [xs[0]!, xs[xs.length - 1]!] : [0, 1]).range([m.left, width - m.right]);
  const xOf = (v: number) => (o.xKind === "point" ? point(v)! : lin(v));
  const order = (a: SeriesPoint, b: SeriesPoint) => xs.indexOf(a.x) - xs.indexOf(b.x);
  const path = line<SeriesPoint>().x((p) => xOf(p.x)).y((p) => y(p.y));
  return {
    paths: series.map((s, i) => {
      const pts = s.points.filter((p) => Number.isFinite(p.y)).sort(order);
      return { key: s.key, label: s.label, d: path(pts) ?? "", colour: seriesColour(i), dots: pts.map((p) => ({ ...p, cx: xOf(p.x), cy: y(p.y) })) };
    }),
    xTicks: (o.xKind === "point" ? xs : lin.ticks(6)).map((v) => ({ value: v, x: xOf(v) })),
    yTicks: y.ticks(5).map((v) => ({ value: v, y: y(v) })),
    width, height, margin: m,
  };
}
