/**
 * The plain (structured-clone safe) state of a tensor's statistics between passes: what
 * workers send back and merge, and the parameters of pass 2 derived from the merged state.
 */
import { mergeChannelAbsmax } from "../channels.ts";
import { emptyCounts, mergeCounts, type Counts } from "../counts.ts";
import { emptyExtent, mergeExtent, type Extent } from "../extent.ts";
import { binScale } from "../histogram.ts";
import { Moments, type MomentsLike } from "../moments.ts";
import { outlierBounds } from "../outliers.ts";
import { keyStats, keyTable, mergeKeys, type KeyDType } from "./keys.ts";

/** Pass-1 state: moments, extent and NaN/Inf counts of the finite values, channel absmax. */
export interface AccumulatorState {
  moments: MomentsLike;
  extent: Extent;
  /** zero is counted in pass 2 */
  counts: Counts;
  /** column absmax, f32[cols], for rank >= 2 */
  cols: Float32Array | null;
  /** row absmax, f32[rows], for rank >= 2 */
  rows: Float32Array | null;
  /** bf16/f16 tensors: counts of each bit pattern, from which everything above is derived exactly */
  keys?: { dtype: KeyDType; counts: Uint32Array } | null;
}

/** Pass-2 parameters: exact f32 outlier thresholds, f32 histogram rule, whether non-finite values must be skipped. */
export interface SweepParams { lo: number; hi: number; hmin: number; hscale: number; bins: number; checked: boolean }

/** Pass-2 results (sums over chunks and workers). */
export interface SweepResult { zero: number; outliers: number; counts: number[] }

/** A state holding nothing (identity of mergeStates). */
export function emptyState(): AccumulatorState {
  return { moments: new Moments(), extent: emptyExtent(), counts: emptyCounts(), cols: null, rows: null };
}

/** Merges b into a copy of a: Pébay moments, extent union, count sums, channel max. */
export function mergeStates(a: AccumulatorState, b: AccumulatorState): AccumulatorState {
  if (a.keys || b.keys) return mergeKeyStates(a, b);
  const m = Object.assign(new Moments(), a.moments).merge(b.moments);
  return {
    moments: { n: m.n, mean: m.mean, m2: m.m2, m3: m.m3, m4: m.m4 },
    extent: mergeExtent({ ...a.extent }, b.extent),
    counts: mergeCounts({ ...a.counts }, b.counts),
    cols: mergeChannels(a.cols, b.cols),
    rows: mergeChannels(a.rows, b.rows),
  };
}

/** Element-wise max of two optional channel arrays (a new array). */
function mergeChannels(x: Float32Array | null, y: Float32Array | null): Float32Array | null {
  return x && y ? mergeChannelAbsmax(x.slice(), y) : (x ?? y)?.slice() ?? null;
}

/** Merge of key-histogram states: summed counts, everything else re-derived exactly. */
function mergeKeyStates(a: AccumulatorState, b: AccumulatorState): AccumulatorState {
  const ka = a.keys ?? b.keys!, kb = a.keys && b.keys ? b.keys : null;
  const keys = { dtype: ka.dtype, counts: kb ? mergeKeys(ka.counts, kb.counts) : ka.counts.slice() };
  return { ...keyStats(keys.counts, keyTable(keys.dtype)), cols: mergeChannels(a.cols, b.cols), rows: mergeChannels(a.rows, b.rows), keys };
}

/** Population std sqrt(m2 / n) of a state; null when it holds no finite value. */
export function stateStd(s: AccumulatorState): number | null {
  return s.moments.n === 0 ? null : Math.sqrt(s.moments.m2 / s.moments.n);
}

/** Pass-2 parameters from the merged pass-1 state, or null when there is nothing to sweep. */
export function sweepParams(s: AccumulatorState, bins: number): SweepParams | null {
  const std = stateStd(s);
  if (std === null) return null;
  const [lo, hi] = outlierBounds(s.moments.mean, std);
  const { min, max } = s.extent;
  return { lo, hi, hmin: min, hscale: binScale(min, max, bins), bins, checked: s.counts.nan + s.counts.inf > 0 };
}

/** Sum of two sweep results. */
export function mergeSweeps(a: SweepResult, b: SweepResult): SweepResult {
  return { zero: a.zero + b.zero, outliers: a.outliers + b.outliers, counts: a.counts.map((c, i) => c + b.counts[i]!) };
}
