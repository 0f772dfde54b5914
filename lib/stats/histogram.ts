/**
 * Fixed-width histogram of the finite values over [min, max] (numpy.histogram's bins):
 * `bins` bins, bins + 1 evenly spaced edges, the last bin closed. The bin of x is computed in
 * float32, as the wasm sweep does: min(trunc(f32(f32(x - min) * f32(bins / (max - min)))), bins - 1),
 * so a value within an f32 rounding of an edge may land in the neighbouring bin. A constant
 * tensor (min = max) uses [min - 0.5, max + 0.5], as numpy does, all values in bin floor(bins / 2).
 */
import type { Histogram } from "./types.ts";

/** Default number of bins of TensorStats.histogram. */
export const DEFAULT_HISTOGRAM_BINS = 64;
/** Most bins the wasm sweep supports (4 lane-private u32 tables of this size). */
export const MAX_HISTOGRAM_BINS = 4096;

/**
 * Largest finite float32. The bin scale is clamped to it, so the kernel never multiplies by
 * Infinity; a range below bins / FLT_MAX (~2e-37: subnormal-only tensors) then crowds bin 0.
 */
const FLT_MAX = 3.4028234663852886e38;

/** f32 scale of the bin rule: f32(bins / (max - min)), at most FLT_MAX; 0 for a constant tensor. */
export function binScale(min: number, max: number, bins: number): number {
  return max > min ? Math.min(Math.fround(bins / (max - min)), FLT_MAX) : 0;
}

/** Bin index of a finite x by the f32 rule above (the reference of the wasm sweep). */
export function binIndex(x: number, min: number, scale: number, bins: number): number {
  if (scale === 0) return bins >> 1;
  return Math.min(Math.trunc(Math.fround(Math.fround(x - min) * scale)), bins - 1);
}

/** bins + 1 edges over [min, max] (f64, last edge exactly max). */
export function histogramEdges(min: number, max: number, bins: number): number[] {
  const [lo, hi] = max > min ? [min, max] : [min - 0.5, max + 0.5];
  return Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + ((hi - lo) * i) / bins));
}

/** Histogram of the finite values of x over [min, max] (plain-JS reference of the wasm sweep). */
export function histogram(x: ArrayLike<number>, min: number, max: number, bins = DEFAULT_HISTOGRAM_BINS): Histogram {
  const counts = new Array<number>(bins).fill(0);
  const scale = binScale(min, max, bins);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (Number.isFinite(v)) counts[binIndex(v, min, scale, bins)]!++;
  }
  return { edges: histogramEdges(min, max, bins), counts };
}

/** Sums the 4 lane-private sub-histograms of the wasm sweep into plain counts. */
export function foldSubHistograms(sub: Uint32Array, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (let l = 0; l < 4; l++) for (let b = 0; b < bins; b++) counts[b]! += sub[l * bins + b]!;
  return counts;
}
