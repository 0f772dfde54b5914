/**
 * Float64 scalar oracle for the statistics tests: plain loops, two passes (mean, then central
 * moments), DESIGN.md definitions (population std, Pearson kurtosis, non-finite skipped).
 */

export interface RefStats {
  count: number; nan: number; inf: number; zero: number;
  mean: number | null; std: number | null; kurtosis: number | null;
  min: number | null; max: number | null; absmax: number | null;
  /** count of finite x with |x - mean| > 6 std */
  outliers: number;
}

/** Two-pass float64 statistics of x. */
export function refStats(x: ArrayLike<number>): RefStats {
  let count = 0, nan = 0, inf = 0, zero = 0, sum = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (Number.isNaN(v)) { nan++; continue; }
    if (!Number.isFinite(v)) { inf++; continue; }
    if (v === 0) zero++;
    count++; sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (count === 0) return { count, nan, inf, zero, mean: null, std: null, kurtosis: null, min: null, max: null, absmax: null, outliers: 0 };
  const mean = sum / count;
  let m2 = 0, m4 = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (!Number.isFinite(v)) continue;
    const d = v - mean;
    m2 += d * d; m4 += d * d * d * d;
  }
  const std = Math.sqrt(m2 / count);
  let outliers = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (Number.isFinite(v) && Math.abs(v - mean) > 6 * std) outliers++;
  }
  return {
    count, nan, inf, zero, mean, std, kurtosis: m2 === 0 ? null : (count * m4) / (m2 * m2),
    min, max, absmax: Math.max(-min, max), outliers,
  };
}

/** `0.1 + 2 cos(i + offset)`: deterministic, non-zero mean, kurtosis 1.5. */
export function cosines(n: number, offset = 0): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = 0.1 + 2 * Math.cos(i + offset);
  return x;
}

/** Relative error of a against b, scaled by max(|b|, floor). */
export function relError(a: number | null, b: number | null, floor = 0): number {
  if (a === null || b === null) return a === b ? 0 : Infinity;
  return Math.abs(a - b) / Math.max(Math.abs(b), floor, 1e-300);
}

/** bf16 bits of an f32 value, round to nearest even (as torch does). */
export function toBf16(v: number): number {
  const u = new Uint32Array(new Float32Array([v]).buffer)[0]!;
  if ((u & 0x7fffffff) > 0x7f800000) return (u >>> 16) | 0x40;
  return ((u + 0x7fff + ((u >>> 16) & 1)) >>> 16) & 0xffff;
}

/** Packs f32 values to bf16 bytes (little-endian). */
export function bf16Bytes(x: Float32Array): Uint8Array {
  const h = new Uint16Array(x.length);
  for (let i = 0; i < x.length; i++) h[i] = toBf16(x[i]!);
  return new Uint8Array(h.buffer);
}

/** f16 bits of an f32 value (truncating the mantissa; subnormals rounded; test inputs stay in range). */
export function toF16(v: number): number {
  const u = new Uint32Array(new Float32Array([v]).buffer)[0]!;
  const sign = (u >>> 16) & 0x8000, a = Math.abs(v);
  if (Number.isNaN(v)) return 0x7e00;
  if (a >= 65520) return sign | 0x7c00;
  if (a < 2 ** -14) return sign | Math.round(a / 2 ** -24);
  return sign | ((((u >>> 23) & 0xff) - 112) << 10) | ((u >>> 13) & 0x3ff);
}

/** Packs f32 values to f16 bytes (little-endian). */
export function f16Bytes(x: Float32Array): Uint8Array {
  const h = new Uint16Array(x.length);
  for (let i = 0; i < x.length; i++) h[i] = toF16(x[i]!);
  return new Uint8Array(h.buffer);
}

/**
 * Pass 1 sums powers of d = (x - shift) scale in float32 over blocks of STATS_BLOCK = 256 elements
 * (kernels-wasm/assembly/stats.ts BLOCK) and folds each block's sums into float64. The SIMD kernel
 * keeps 8 lanes (two f32x4 sets): each lane sums STATS_BLOCK / 8 terms, then 3 adds join sets and
 * lanes; each d^k is rounded at most 4 times (x - shift, d^2, d^3 or d^4). So a block sum carries at
 * most (STATS_BLOCK / 8 + 3 + 4) u of sum |d^k| (u = 2^-24, Higham's recursive-summation bound),
 * ~2.3e-6; the float64 fold of the blocks adds (n / STATS_BLOCK) 2^-53, negligible.
 */
export const STATS_BLOCK = 256;
export const F32_BLOCK_SUM_REL_ERROR = (STATS_BLOCK / 8 + 3 + 4) * 2 ** -24;
/** the scalar twin sums a block in one chain of STATS_BLOCK terms: (STATS_BLOCK + 4) u, ~1.5e-5 */
export const F32_BLOCK_SUM_REL_ERROR_REF = (STATS_BLOCK + 4) * 2 ** -24;
