/** Dependency-free scales and colours for the report's SVG charts (lib/report sits below lib/viz). */

/** A linear map of [d0, d1] onto [r0, r1] (a zero-width domain maps to r0). */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (x: number) => number {
  const span = d1 - d0;
  return (x) => (span === 0 ? r0 : r0 + ((x - d0) / span) * (r1 - r0));
}

/** A log10 map of [d0, d1] (both > 0) onto [r0, r1]; values <= 0 map to r0. */
export function logScale(d0: number, d1: number, r0: number, r1: number): (x: number) => number {
  const lin = linearScale(Math.log10(d0), Math.log10(d1), r0, r1);
  return (x) => (x > 0 ? lin(Math.log10(x)) : r0);
}

/** Powers of ten covering [lo, hi] (lo > 0). */
export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) out.push(Number(`1e${e}`)); // 10 ** -4 is 0.00009999999999999999
  return out;
}

/** About `count` round ticks over [lo, hi] (steps of 1, 2 or 5 times a power of ten). */
export function linearTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const digits = Math.max(0, -Math.floor(Math.log10(step)));
  const out: number[] = [];
  // integer multiples of step, written to step's decimals (3 * 0.2 is 0.6000000000000001)
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) out.push(Number((k * step).toFixed(digits)));
  return out;
}

/** Diverging ramp at t in [-1, 1]: blue (negative) -> near white (0) -> red (positive), after ColorBrewer RdBu. */
const DIVERGING: Array<[number, number, number]> = [[33, 102, 172], [247, 247, 247], [178, 24, 43]];
export function divergingColor(t: number): string {
  return ramp(DIVERGING, (Math.min(1, Math.max(-1, Number.isFinite(t) ? t : 0)) + 1) / 2);
}

/** Sequential colour ramp (light yellow -> orange -> dark red, after ColorBrewer YlOrRd) at t in [0, 1]. */
const STOPS: Array<[number, number, number]> = [[255, 255, 204], [253, 141, 60], [128, 0, 38]];
export function sequentialColor(t: number): string {
  return ramp(STOPS, Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)));
}

/** Piecewise-linear RGB interpolation through `stops` at t in [0, 1]. */
function ramp(stops: Array<[number, number, number]>, t: number): string {
  const x = t * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [stops[i]!, stops[i + 1]!];
  const hex = (k: number) => Math.round(a[k]! + (b[k]! - a[k]!) * f).toString(16).padStart(2, "0");
  return `#${hex(0)}${hex(1)}${hex(2)}`;
}

/** Black or white text, whichever reads on a fill of ramp position t. */
export function textColorOn(t: number): string {
  return t > 0.55 ? "#ffffff" : "#111827";
}
