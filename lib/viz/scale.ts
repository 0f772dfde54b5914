/** Colour scales and their legends (d3 sequential YlOrRd), linear or log, computed in Node for tests. */
import { interpolateYlOrRd, scaleLinear, scaleLog, type ScaleContinuousNumeric } from "d3";

export type ScaleKind = "linear" | "log";

/** Colour of missing values (1-D tensors, unknown modules, not computed). */
export const MISSING_FILL = "#e2e8f0";

export interface ColourScale {
  /** the scale actually used: log falls back to linear when no value is positive */
  kind: ScaleKind;
  /** high values light, low values dark (for "lower is worse" statistics such as SQNR) */
  reverse: boolean;
  domain: [number, number];
  /** value -> [0, 1] (clamped) */
  t: (v: number) => number;
  fill: (v: number | null) => string;
}

/** Finite extent of the values, [0, 1] when there are none; for log, the extent of the positive ones. */
export function extentOf(values: Iterable<number | null>, kind: ScaleKind = "linear"): [number, number] | null {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (v === null || !Number.isFinite(v) || (kind === "log" && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : null;
}

/** Sequential colour scale over the values; log uses the positive values and clamps others to the low end. */
export function colourScale(values: Iterable<number | null>, kind: ScaleKind, reverse = false): ColourScale {
  const list = [...values];
  let k = kind;
  let domain = extentOf(list, k);
  if (k === "log" && !domain) { k = "linear"; domain = extentOf(list, k); }
  const d: [number, number] = domain ?? [0, 1];
  const s: ScaleContinuousNumeric<number, number> = (k === "log" ? scaleLog() : scaleLinear()).domain(d[0] === d[1] ? [d[0], d[0] + (k === "log" ? d[0] : 1)] : d).range([0, 1]).clamp(true);
  const t = (v: number) => (k === "log" && v <= 0 ? 0 : d[0] === d[1] ? 0.5 : s(v));
  const ramp = (x: number) => interpolateYlOrRd(0.05 + 0.95 * (reverse ? 1 - x : x));
  return { kind: k, reverse, domain: d, t, fill: (v) => (v === null || !Number.isFinite(v) ? MISSING_FILL : ramp(t(v))) };
}

export interface LegendTick { value: number; /** 0..1 along the bar */ offset: number; label: string }

/** Least distance between two tick labels, as a share of the bar (a 5-character label on a 240 px bar). */
export const MIN_TICK_GAP = 0.15;

/** Ticks for a colour bar of `scale`: d3's nice ticks inside the domain, ends always labelled, labels kept apart. */
export function legendTicks(scale: ColourScale, count = 5, format: (v: number) => string = String, minGap = MIN_TICK_GAP): LegendTick[] {
  const [lo, hi] = scale.domain;
  if (lo === hi) return [{ value: lo, offset: 0.5, label: format(lo) }];
  const s = (scale.kind === "log" ? scaleLog() : scaleLinear()).domain([lo, hi]);
  let values = s.ticks(count).filter((v) => v >= lo && v <= hi);
  if (scale.kind === "log" && values.length > count + 2) {
    values = values.filter((v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9);
  }
  const ends = [lo, ...values, hi].sort((a, b) => a - b);
  const out: LegendTick[] = [];
  for (const v of ends) {
    const offset = scale.t(v);
    if (out.length && offset - out[out.length - 1]!.offset < minGap && v !== hi) continue; // keep labels apart
    if (out.length > 1 && v === hi && offset - out[out.length - 1]!.offset < minGap) out.pop();
    out.push({ value: v, offset, label: format(v) });
  }
  return out;
}

/** CSS gradient stops of the bar, `n` samples of the colour ramp. */
export function legendGradient(n = 16, reverse = false): string {
  return Array.from({ length: n }, (_, i) => {
    const x = i / (n - 1);
    return `${interpolateYlOrRd(0.05 + 0.95 * (reverse ? 1 - x : x))} ${(100 * x).toFixed(1)}%`;
  }).join(", ");
}
