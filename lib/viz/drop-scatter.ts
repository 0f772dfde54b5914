/**
 * Geometry of the recommendation view's size-vs-expected-drop chart: one dot per candidate spec
 * at (footprint GB, mean relative drop %), coloured by bucket, and the memory budget as a
 * vertical line; specs without an evidence figure are left out (listed by the caller).
 */
import { scaleLinear } from "d3";
import type { Bucket } from "../recommend/types.ts";
import { maxOf, minOf } from "../tensor/extent.ts";

export interface DropSpec { spec: string; total_gb: number; drop_pct: number | null; bucket: Bucket; fits: boolean | null }
export interface DropDot extends DropSpec { drop_pct: number; cx: number; cy: number; fill: string }

export interface DropScatterGeometry {
  dots: DropDot[];
  /** x of the budget line, null without a budget or when it lies past the axis */
  budgetX: number | null;
  xTicks: Array<{ value: number; x: number }>;
  yTicks: Array<{ value: number; y: number }>;
  width: number; height: number;
  margin: { top: number; right: number; bottom: number; left: number };
}

export const BUCKET_FILL: Record<Bucket, string> = { recommended: "#16a34a", acceptable: "#d97706", avoid: "#dc2626" };
export const SCATTER_MARGIN = { top: 12, right: 16, bottom: 32, left: 48 };

/** Dots and axes for `specs` in a `width` x `height` SVG; x from 0 to the largest footprint or the budget. */
export function dropScatterGeometry(specs: DropSpec[], budgetGb: number | null, width: number, height: number, m = SCATTER_MARGIN): DropScatterGeometry {
  const known = specs.filter((s): s is DropSpec & { drop_pct: number } => s.drop_pct !== null && Number.isFinite(s.drop_pct));
  const xMax = Math.max(maxOf(known.map((s) => s.total_gb)), budgetGb ?? 0, 1e-9);
  const ys = known.map((s) => s.drop_pct);
  const x = scaleLinear().domain([0, xMax * 1.05]).nice(6).range([m.left, width - m.right]);
  const y = scaleLinear().domain([Math.min(0, minOf(ys)), Math.max(1, maxOf(ys))]).nice(5).range([height - m.bottom, m.top]);
  return {
    dots: known.map((s) => ({ ...s, cx: x(s.total_gb), cy: y(s.drop_pct), fill: BUCKET_FILL[s.bucket] })),
    budgetX: budgetGb === null ? null : x(budgetGb),
    xTicks: x.ticks(6).map((v) => ({ value: v, x: x(v) })),
    yTicks: y.ticks(5).map((v) => ({ value: v, y: y(v) })),
    width, height, margin: m,
  };
}
