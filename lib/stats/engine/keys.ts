/**
 * Exact statistics of a 16-bit float tensor (bf16, f16) from its key histogram: counts of each of
 * the 65536 bit patterns, as the wasm `keys*` kernels produce them. Moments are a true two-pass
 * over the distinct values (float64), and histogram/outliers/zeros are read per value, so no
 * second pass over the data is needed.
 */
import { halfTable } from "../../tensor/half.ts";
import { emptyCounts, type Counts } from "../counts.ts";
import { emptyExtent, type Extent } from "../extent.ts";
import { binIndex } from "../histogram.ts";
import { Moments } from "../moments.ts";
import type { SweepParams, SweepResult } from "./state.ts";

export type KeyDType = "BF16" | "F16";
const tables: Partial<Record<KeyDType, Float32Array>> = {};

/** f32 value of each 16-bit pattern of `dtype` (bf16: upper half of an f32; f16: IEEE half). */
export function keyTable(dtype: KeyDType): Float32Array {
  return (tables[dtype] ??= dtype === "F16" ? halfTable() : new Float32Array(Uint32Array.from({ length: 65536 }, (_, i) => i << 16).buffer));
}

/** Moments (two-pass over distinct values), extent and NaN/Inf/zero counts from key counts. */
export function keyStats(keys: Uint32Array, table: Float32Array): { moments: Moments; extent: Extent; counts: Counts } {
  const counts = emptyCounts(), extent = emptyExtent(), m = new Moments();
  let s = 0;
  for (let h = 0; h < 65536; h++) {
    const c = keys[h]!;
    if (c === 0) continue;
    const v = table[h]!;
    if (v !== v) { counts.nan += c; continue; }
    if (v === Infinity || v === -Infinity) { counts.inf += c; continue; }
    if (v === 0) counts.zero += c;
    m.n += c;
    s += c * v;
    if (v < extent.min) extent.min = v;
    if (v > extent.max) extent.max = v;
  }
  if (m.n === 0) return { moments: m, extent, counts };
  m.mean = s / m.n;
  for (let h = 0; h < 65536; h++) {
    const c = keys[h]!, v = table[h]!;
    if (c === 0 || !Number.isFinite(v)) continue;
    const d = v - m.mean, d2 = d * d;
    m.m2 += c * d2; m.m3 += c * d2 * d; m.m4 += c * d2 * d2;
  }
  return { moments: m, extent, counts };
}

/** Pass-2 results (zeros, outliers outside [lo, hi], histogram by the f32 bin rule) from key counts. */
export function keySweep(keys: Uint32Array, table: Float32Array, p: SweepParams): SweepResult {
  const r: SweepResult = { zero: 0, outliers: 0, counts: new Array<number>(p.bins).fill(0) };
  for (let h = 0; h < 65536; h++) {
    const c = keys[h]!, v = table[h]!;
    if (c === 0 || !Number.isFinite(v)) continue;
    if (v === 0) r.zero += c;
    if (v < p.lo || v > p.hi) r.outliers += c;
    // the kernel rule puts a constant tensor in bin 0; toTensorStats moves it to the middle
    r.counts[p.hscale === 0 ? 0 : binIndex(v, p.hmin, p.hscale, p.bins)]! += c;
  }
  return r;
}

/** Sum of two key histograms (a new array). */
export function mergeKeys(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = a.slice();
  for (let h = 0; h < 65536; h++) out[h]! += b[h]!;
  return out;
}
