/** The attention kernel: SIMD vs its scalar twin vs the float64 JS reference in lib/model/forward.ts. */
import { describe, expect, it } from "vitest";
import { AttentionKernel } from "../../lib/kernels/attention-kernel.ts";
import { attention } from "../../lib/model/forward.ts";
import { mulberry32 } from "../../lib/tensor/prng.ts";

/** f32 scores, exp and sums (kernel) vs float64 (JS): outputs are convex combinations of values O(1) */
const MAX_ATTENTION_F32_ERROR = 2e-6;
/** SIMD sums the dot product in 4 lanes, the twin in order: f32 rounding differs slightly */
const MAX_SIMD_VS_REF_ERROR = 1e-6;

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe("AttentionKernel.run(out, q, keys, vals, M, pos0, nHeads, nKvHeads, headDim)", () => {
  for (const [M, pos0, nHeads, nKvHeads, headDim] of [[1, 0, 1, 1, 4], [5, 0, 8, 4, 8], [3, 7, 4, 4, 16], [9, 2, 6, 2, 12], [4, 3, 2, 1, 6], [17, 0, 4, 2, 64]]) {
    it(`matches the float64 reference for M=${M} pos0=${pos0} heads ${nHeads}/${nKvHeads} x ${headDim}`, () => {
      const rand = mulberry32(M * 1000 + headDim);
      const T = pos0 + M, dim = nHeads * headDim, kvDim = nKvHeads * headDim;
      const q = Float32Array.from({ length: M * dim }, () => (rand() - 0.5) * 6);
      const keys = Float32Array.from({ length: T * kvDim }, () => (rand() - 0.5) * 6);
      const vals = Float32Array.from({ length: T * kvDim }, () => rand() - 0.5);
      const ref = new Float32Array(M * dim);
      attention(ref, q, keys, vals, new Float32Array(T), M, pos0, nHeads, nKvHeads, headDim);
      const k = AttentionKernel.create();
      const simd = new Float32Array(M * dim), scalar = new Float32Array(M * dim);
      k.run(simd, q, keys, vals, M, pos0, nHeads, nKvHeads, headDim);
      k.useSimd = false;
      k.run(scalar, q, keys, vals, M, pos0, nHeads, nKvHeads, headDim);
      expect(maxDiff(scalar, ref)).toBeLessThan(MAX_ATTENTION_F32_ERROR);
      expect(maxDiff(simd, scalar)).toBeLessThan(MAX_SIMD_VS_REF_ERROR);
    });
  }

  for (const [M, pos0, window, scale] of [[9, 0, 4, 0.3], [5, 30, 32, 0.125], [40, 0, 32, 0.25], [3, 2, 1, 0.5]]) {
    it(`restricts row m to its last ${window} keys and scales q.k by ${scale} (sliding window; query_pre_attn_scalar) for M=${M} pos0=${pos0}`, () => {
      const rand = mulberry32(M * 7 + window);
      const nHeads = 4, nKvHeads = 2, headDim = 8, T = pos0 + M, dim = nHeads * headDim, kvDim = nKvHeads * headDim;
      const q = Float32Array.from({ length: M * dim }, () => (rand() - 0.5) * 6);
      const keys = Float32Array.from({ length: T * kvDim }, () => (rand() - 0.5) * 6);
      const vals = Float32Array.from({ length: T * kvDim }, () => rand() - 0.5);
      const k = AttentionKernel.create();
      const got = new Float32Array(M * dim), ref = new Float32Array(M * dim);
      k.run(got, q, keys, vals, M, pos0, nHeads, nKvHeads, headDim, window, scale);
      // the reference: row by row, the full-attention JS pass over only the window's keys (its last key is the query's own)
      for (let m = 0; m < M; m++) {
        const last = pos0 + m, first = Math.max(0, last - window + 1), n = last - first + 1;
        const qs = q.slice(m * dim, (m + 1) * dim).map((x) => x * scale * Math.sqrt(headDim)); // plain pass scales by headDim^-0.5
        const out = new Float32Array(dim);
        attention(out, qs, keys.subarray(first * kvDim, (last + 1) * kvDim), vals.subarray(first * kvDim, (last + 1) * kvDim), new Float32Array(n), 1, n - 1, nHeads, nKvHeads, headDim);
        ref.set(out, m * dim);
      }
      expect(maxDiff(got, ref)).toBeLessThan(MAX_ATTENTION_F32_ERROR);
      // and the JS pass's own window / scale options agree
      const js = new Float32Array(M * dim);
      attention(js, q, keys, vals, new Float32Array(T), M, pos0, nHeads, nKvHeads, headDim, window, scale);
      expect(maxDiff(js, ref)).toBeLessThan(MAX_ATTENTION_F32_ERROR);
    });
  }

  it("rejects shapes that do not fit", () => {
    const k = AttentionKernel.create();
    expect(() => k.run(new Float32Array(8), new Float32Array(8), new Float32Array(3), new Float32Array(4), 1, 0, 2, 1, 4)).toThrow(RangeError); // keys: 3 < T x kvDim = 4
    expect(() => k.run(new Float32Array(12), new Float32Array(12), new Float32Array(8), new Float32Array(8), 1, 0, 3, 2, 4)).toThrow(RangeError); // 2 KV heads do not divide 3
  });
});
