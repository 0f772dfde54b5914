/**
 * Geometry of the measured damage chart (pure, for tests in Node): one horizontal bar per spec with
 * a measured KL divergence from FP32, on a log x scale (KL spans 1e-4 to 5 nats from W8 to W2), in
 * the order given. FP32 is the reference (KL 0 by definition) and specs without a positive finite
 * KL have no bar: they are listed in `skipped`.
 */
import { scaleLog } from "d3";
import { maxOf, minOf } from "../tensor/extent.ts";

/** One measured spec. */
export interface DamagePoint { spec: string; kl: number | null }

export interface DamageBar { spec: string; kl: number; x: number; y: number; width: number; height: number }

export interface DamageGeometry {
  bars: DamageBar[];
  ticks: Array<{ value: number; x: number; label: string }>;
  skipped: string[];
  width: number; height: number;
  margin: { top: number; right: number; bottom: number; left: number };
}

/** Room for spec names on the left, values right of the bars, tick labels below. */
export const DAMAGE_MARGIN = { top: 4, right: 56, bottom: 30, left: 76 };
/** Height of one bar's row, and the bar's share of it. */
export const DAMAGE_ROW = 22;
const BAR_SHARE = 0.68;

/** "1e-3" style labels for powers of ten, plain numbers from 0.01 up. */
export function klTickLabel(v: number): string {
  return v >= 0.01 ? String(Number(v.toPrecision(2))) : `1e${Math.round(Math.log10(v))}`;
}

/** Bars and ticks of `points` in an SVG `width` wide (height follows from the number of bars). */
export function damageChart(points: DamagePoint[], width: number): DamageGeometry {
  const m = DAMAGE_MARGIN;
  const measured = points.filter((p): p is { spec: string; kl: number } => p.spec.toUpperCase() !== "FP32" && p.kl !== null && Number.isFinite(p.kl) && p.kl > 0);
  const skipped = points.filter((p) => p.spec.toUpperCase() !== "FP32" && !measured.includes(p as { spec: string; kl: number })).map((p) => p.spec);
  const height = m.top + measured.length * DAMAGE_ROW + m.bottom;
  if (!measured.length) return { bars: [], ticks: [], skipped, width, height, margin: m };
  const kls = measured.map((p) => p.kl);
  // whole decades around the data: the smallest bar still shows, the largest does not touch the edge
  const lo = 10 ** Math.floor(Math.log10(minOf(kls)));
  const hi = 10 ** Math.ceil(Math.log10(maxOf(kls) * 1.05));
  const x = scaleLog().domain([lo, hi === lo ? lo * 10 : hi]).range([m.left, width - m.right]);
  const bars = measured.map((p, i) => ({
    spec: p.spec, kl: p.kl, x: m.left, y: m.top + i * DAMAGE_ROW + (DAMAGE_ROW * (1 - BAR_SHARE)) / 2,
    width: Math.max(1, x(p.kl) - m.left), height: DAMAGE_ROW * BAR_SHARE,
  }));
  // powers of ten only: a decade per tick is enough to read a log scale
  const ticks = x.ticks().filter((t) => Math.abs(Math.log10(t) - Math.round(Math.log10(t))) < 1e-9)
    .map((t) => ({ value: t, x: x(t), label: klTickLabel(t) }));
  return { bars, ticks, skipped, width, height, margin: m };
}
