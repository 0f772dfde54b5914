/**
 * llm.c-style check before timing: every SIMD kernel against its scalar twin on bench-like data
 * (exact counts, extent and channel absmax; power sums within MAX_POWER_SUM_REL_ERROR of sum |d^k|).
 */
import { ACC, acquireStatsKernel, type KernelDType } from "../lib/kernels/stats-kernel.ts";

/**
 * f32 block sums (BLOCK 256): SIMD lanes sum 32 terms, the Ref 256 in one chain; each within
 * (terms + 7) 2^-24 of sum |d^k| (tests/stats/reference.ts), so they differ by at most the sum.
 */
const MAX_POWER_SUM_REL_ERROR = (256 / 8 + 7 + 256 + 4) * 2 ** -24;

/** Throws when the SIMD key-histogram kernel disagrees with its Ref on 16-bit `bytes` viewed as [rows, cols]. */
export async function validateKeyKernels(dtype: "BF16" | "F16", bytes: Uint8Array, rows: number, cols: number): Promise<void> {
  const k = await acquireStatsKernel();
  const SRC = 1 << 20, KEYS = 1024 + 4 * cols + 4 * rows + 1024, COLS = 1024, ROWS = COLS + 2 * cols + 16;
  k.reserve(SRC + bytes.length);
  if (KEYS + 8 * 65536 > SRC) throw new Error("validate: layout overlaps");
  k.bytes.set(bytes, SRC);
  const run = (simd: boolean) => {
    k.useSimd = simd;
    k.u32(KEYS, 2 * 65536).fill(0);
    k.u16(COLS, cols).fill(0);
    k.keys(dtype, SRC, rows, cols, KEYS, COLS, ROWS);
    const t = k.u32(KEYS, 2 * 65536);
    return { keys: t.slice(0, 65536).map((c, h) => c + t[65536 + h]!), cols: k.u16(COLS, cols).slice(), rows: k.u16(ROWS, rows).slice() };
  };
  const [s, r] = [run(true), run(false)];
  k.release();
  const same = (a: ArrayLike<number>, b: ArrayLike<number>) => a.length === b.length && Array.prototype.every.call(a, (v: number, i: number) => v === b[i]);
  if (!same(s.keys, r.keys) || !same(s.cols, r.cols) || !same(s.rows, r.rows)) throw new Error(`validate ${dtype}: keys SIMD != Ref`);
}

/** Throws when a SIMD kernel disagrees with its Ref on `bytes` viewed as [rows, cols]. */
export async function validateKernels(dtype: KernelDType, bytes: Uint8Array, rows: number, cols: number): Promise<void> {
  const k = await acquireStatsKernel();
  const SRC = 1 << 20, COLS = 1024, ROWS = COLS + 4 * cols;
  k.reserve(SRC + bytes.length);
  k.bytes.set(bytes, SRC);
  const run = (simd: boolean) => {
    k.useSimd = simd;
    k.resetAcc(0);
    k.f32(COLS, cols).fill(0);
    k.stats(dtype, SRC, rows, cols, 0.001, 0, COLS, ROWS);
    return { a: k.f64(0, 11).slice(), cols: k.f32(COLS, cols).slice(), rows: k.f32(ROWS, rows).slice() };
  };
  const [s, r] = [run(true), run(false)];
  k.release();
  for (const i of [ACC.N, ACC.MIN, ACC.MAX, ACC.NAN, ACC.INF]) {
    if (s.a[i] !== r.a[i]) throw new Error(`validate ${dtype}: acc[${i}] SIMD ${s.a[i]} != Ref ${r.a[i]}`);
  }
  if (s.cols.some((v, i) => v !== r.cols[i]) || s.rows.some((v, i) => v !== r.rows[i])) throw new Error(`validate ${dtype}: channel absmax differs`);
  for (const i of [ACC.S1, ACC.S2, ACC.S3, ACC.S4]) {
    // sum |d| <= sqrt(n S2) and sum |d|^3 <= sqrt(S2 S4) (Cauchy-Schwarz) bound the signed sums' scale
    const [n, s2, s4] = [r.a[ACC.N]!, r.a[ACC.S2]!, r.a[ACC.S4]!];
    const scale = i === ACC.S1 ? Math.sqrt(n * s2) : i === ACC.S3 ? Math.sqrt(s2 * s4) : Math.abs(r.a[i]!);
    if (Math.abs(s.a[i]! - r.a[i]!) > MAX_POWER_SUM_REL_ERROR * scale) throw new Error(`validate ${dtype}: S${i} SIMD ${s.a[i]} vs Ref ${r.a[i]}`);
  }
}
