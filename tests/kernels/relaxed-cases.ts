/**
 * Checks of the relaxed-SIMD f32 / weight-only kernels (gemm-relaxed.ts) that run in any runtime
 * with relaxed SIMD: in the test process (Chromium-like runtimes) or in a child Node started with
 * --experimental-wasm-relaxed-simd (gemm-relaxed.test.ts). Returns plain JSON.
 */
import { createGemmKernel } from "../../lib/kernels/gemm-kernel.ts";
import { packMatrix } from "../../lib/quant/pack.ts";
import { dequantize } from "../../lib/quant/rtn.ts";
import type { QuantizedMatrix } from "../../lib/quant/types.ts";

const U = 2 ** -24;
/** f32 dot of K terms, each term one product and one (fused or not) add: gamma_(K+2) of sum |w x| */
export const maxF32DotError = (K: number) => (K + 2) * U;
/** dequantized weight (one rounding) times x in a K-term dot: (K + 4) u of sum |w x| */
export const maxWeightOnlyError = (K: number) => (K + 4) * U;

/** [M, N, K, groupSize]: tails in N, odd K, groups that are not whole chunks, one token */
export const RELAXED_SHAPES: Array<[number, number, number, number]> = [
  [1, 3, 5, 5], [2, 4, 16, 16], [3, 5, 35, 7], [5, 13, 64, 32], [4, 17, 130, 65], [7, 9, 256, 128], [2, 33, 127, 127],
  // several token tiles (K = 2048: at most 64 tokens per f32 tile)
  [131, 6, 2048, 128],
];

export interface RelaxedReport {
  available: boolean;
  cases: number;
  /** worst |relaxed - oracle| / bound over all outputs (must stay <= 1) */
  worstF32: number;
  worstWeightOnly: number;
  /** shapes where weight-only (M > 1, g a multiple of 32) differs from f32 on dequantize(q) */
  notEqualDequantized: string[];
  /** W4A8 cases (several tokens, long groups, extreme codes) where relaxed SIMD or its Ref differs from the plain kernel */
  w4a8Mismatches: string[];
  w4a8Cases: number;
}

/** [M, N, K, groupSize] of the W4A8 tile kernel: odd M, groups past I16_CHUNKS chunks (128 codes), per channel */
export const W4A8_SHAPES: Array<[number, number, number, number]> = [
  [2, 4, 256, 256], [3, 5, 640, 640], [5, 9, 384, 128], [4, 8, 160, 160], [7, 6, 96, 32],
  // several token tiles (K = 2048: at most 256 tokens per a8s tile), an odd token count
  [301, 5, 2048, 128],
];

/** deterministic codes / scales / asymmetric zeros */
export function quantized(bits: 4 | 8, rows: number, cols: number, groupSize: number): QuantizedMatrix {
  const ng = rows * (cols / groupSize), max = 2 ** bits - 1;
  return {
    bits, sym: false, rows, cols, groupSize,
    codes: Uint8Array.from({ length: rows * cols }, (_, i) => (i * 97 + ((i * i) >> 3)) % (max + 1)),
    scales: Float32Array.from({ length: ng }, (_, i) => 0.01 + 0.003 * Math.abs(Math.sin(i + 1))),
    zeros: Float32Array.from({ length: ng }, (_, i) => (i * 37 + 3) % (max + 1)),
  };
}

/** worst error / bound of y against the float64 product of w [N, K] and x [M, K] */
function worst(y: Float32Array, w: Float32Array, x: Float32Array, M: number, N: number, K: number, bound: number): number {
  let r = 0;
  for (let t = 0; t < M; t++) {
    for (let n = 0; n < N; n++) {
      let s = 0, mag = 0;
      for (let j = 0; j < K; j++) { const v = w[n * K + j]! * x[t * K + j]!; s += v; mag += Math.abs(v); }
      r = Math.max(r, Math.abs(y[t * N + n]! - s) / (bound * mag + 1e-30));
    }
  }
  return r;
}

/** Runs every case with relaxed kernels on (available: false where this runtime lacks them). */
export async function relaxedCases(): Promise<RelaxedReport> {
  const k = await createGemmKernel();
  const rep: RelaxedReport = { available: k.relaxedAvailable, cases: 0, worstF32: 0, worstWeightOnly: 0, notEqualDequantized: [], w4a8Mismatches: [], w4a8Cases: 0 };
  if (!k.relaxedAvailable) return rep;
  k.useRelaxed = true;
  for (const [M, N, K, G] of RELAXED_SHAPES) {
    const w = Float32Array.from({ length: N * K }, (_, i) => 0.1 + 2 * Math.cos(i + 0.3));
    const x = Float32Array.from({ length: M * K }, (_, i) => 0.1 + 2 * Math.cos(i + 1.7));
    const hf = k.loadF32Matrix(w, N, K);
    rep.worstF32 = Math.max(rep.worstF32, worst(k.gemm(hf, x, M), w, x, M, N, K, maxF32DotError(K)));
    k.free(hf);
    for (const bits of [8, 4] as const) {
      const q = quantized(bits, N, K, G), wd = dequantize(q);
      const hq = k.loadPackedMatrix(packMatrix(q)), hd = k.loadF32Matrix(wd, N, K);
      const yq = k.gemm(hq, x, M);
      rep.worstWeightOnly = Math.max(rep.worstWeightOnly, worst(yq, wd, x, M, N, K, maxWeightOnlyError(K)));
      if (M > 1 && G % 32 === 0) {
        const yd = k.gemm(hd, x, M);
        if (yq.some((v, i) => !Object.is(v, yd[i]))) rep.notEqualDequantized.push(`W${bits} M=${M} N=${N} K=${K} g=${G}`);
      }
      k.free(hq);
      k.free(hd);
    }
    rep.cases++;
  }
  for (const [M, N, K, G] of W4A8_SHAPES) {
    // codes: deterministic, all 15 (largest i16 partial sums), all 0; activations spread, all 0 (a8s -128), all 255
    for (const [wc, ac] of [[-1, -1], [15, 0], [15, 255], [0, 0]]) {
      const q = quantized(4, N, K, G);
      if (wc >= 0) q.codes.fill(wc);
      const codes = Uint8Array.from({ length: M * K }, (_, i) => (ac >= 0 ? ac : (i * 131 + 17 + ((i * i) >> 5)) % 256));
      const a = { bits: 8 as const, rows: M, cols: K, codes, scales: Float32Array.from({ length: M }, (_, t) => 0.02 + 0.01 * t), zeros: Float32Array.from({ length: M }, (_, t) => [0, 255, 77, 200, 1][t % 5]!) };
      const h = k.loadPackedMatrix(packMatrix(q));
      const run = (relaxed: boolean, simd: boolean) => { k.useRelaxed = relaxed; k.useSimd = simd; return new Uint32Array(k.gemmQ(h, a).buffer); };
      const plain = run(false, true), rs = run(true, true), rr = run(true, false);
      k.useRelaxed = true;
      k.useSimd = true;
      k.free(h);
      if (rs.some((v, i) => v !== plain[i]) || rr.some((v, i) => v !== plain[i])) rep.w4a8Mismatches.push(`M=${M} N=${N} K=${K} g=${G} w=${wc} a=${ac}`);
      rep.w4a8Cases++;
    }
  }
  return rep;
}
