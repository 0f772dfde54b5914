/**
 * computeTensorStats(source, t, opts) against the float64 two-pass oracle in reference.ts, on
 * deterministic synthetic tensors streamed through an in-memory TensorSource.
 */
import { describe, expect, it } from "vitest";
import { channelAbsmax, computeTensorStats, histogram, type TensorStats } from "../../../lib/stats/index.ts";
import { f32Source, memorySource, memoryTensor } from "../../../lib/formats/memory-tensor-source.ts";
import { bf16Bytes, cosines, f16Bytes, F32_BLOCK_SUM_REL_ERROR, F32_BLOCK_SUM_REL_ERROR_REF, refStats, relError } from "../reference.ts";

/**
 * Pass 1 sums d^k in float32 over blocks of 256 and folds the blocks into float64: each S_k is
 * within e = F32_BLOCK_SUM_REL_ERROR (~2.3e-6, reference.ts) of sum |d^k|. The mean's error is
 * |dS1| / n <= e rms(d), and rms(d) ~ std (the shift is the pilot mean, or 0 when |mean| <= std / 64),
 * so it is compared relative to max(|mean|, std); std = sqrt(m2 / n) takes half of S2's e (e is
 * conservative); kurtosis n m4 / m2^2 takes S4's e plus twice S2's, and the S3 term: 4e.
 */
const MAX_MEAN_REL_ERROR = F32_BLOCK_SUM_REL_ERROR;
const MAX_STD_REL_ERROR = F32_BLOCK_SUM_REL_ERROR;
const MAX_KURTOSIS_REL_ERROR = 4 * F32_BLOCK_SUM_REL_ERROR;
/** the scalar twin sums 256 terms per chain instead of 32 per lane */
const REF_SCALE = F32_BLOCK_SUM_REL_ERROR_REF / F32_BLOCK_SUM_REL_ERROR;
const ODD_LENGTHS = [1, 2, 3, 5, 7, 8, 15, 16, 17, 31, 33, 63, 67, 127, 1000003];

function expectMatches(s: TensorStats, x: ArrayLike<number>, scale = 1): void {
  const r = refStats(x);
  expect([s.count, s.nan_count, s.inf_count, s.zero_count]).toEqual([r.count, r.nan, r.inf, r.zero]);
  expect([s.min, s.max, s.absmax]).toEqual([r.min, r.max, r.absmax]);
  expect(relError(s.mean, r.mean, r.std ?? 0)).toBeLessThanOrEqual(MAX_MEAN_REL_ERROR * scale);
  expect(relError(s.std, r.std)).toBeLessThanOrEqual(MAX_STD_REL_ERROR * scale);
  expect(relError(s.kurtosis, r.kurtosis)).toBeLessThanOrEqual(MAX_KURTOSIS_REL_ERROR * scale);
  if (r.count) expect(s.outlier_fraction).toBe(r.outliers / r.count);
  if (r.min !== null && r.min !== r.max) expect(s.histogram).toEqual(histogram(x, r.min, r.max!, 64));
}

describe("computeTensorStats(source, t)", () => {
  for (const n of ODD_LENGTHS) {
    it(`matches the float64 oracle on 0.1 + 2 cos(i) of length ${n}, SIMD and scalar twin`, async () => {
      const x = cosines(n, n);
      for (const simd of [true, false]) {
        const { source, t } = f32Source(x);
        expectMatches(await computeTensorStats(source, t, { simd }), x, simd ? 1 : REF_SCALE);
      }
    });
  }

  it("keeps moments accurate when |mean| >> std (1e4 + 1e-3 cos i): shifted power sums", async () => {
    const x = new Float32Array(300007).map((_, i) => 1e4 + 1e-3 * Math.cos(i));
    const { source, t } = f32Source(x, [1, 300007]);
    expectMatches(await computeTensorStats(source, t), x);
  });

  for (const mag of [1e-30, 1e30]) {
    it(`keeps moments accurate for values near ${mag} (pilot power-of-two scale: f32 powers would ${mag < 1 ? "underflow" : "overflow"})`, async () => {
      const x = cosines(100003, 1).map((v) => v * mag);
      const { source, t } = f32Source(x, [100003]);
      expectMatches(await computeTensorStats(source, t), x);
    });
  }

  it("counts NaN and ±Inf and skips them in every statistic", async () => {
    const x = cosines(10007, 3);
    for (let i = 5; i < x.length; i += 997) x[i] = i % 2 ? NaN : (i % 3 ? Infinity : -Infinity);
    const { source, t } = f32Source(x, [10007]);
    const s = await computeTensorStats(source, t);
    expectMatches(s, x);
    expect(s.nan_count + s.inf_count).toBe(11);
  });

  it("returns std 0, kurtosis null and a middle-bin histogram for a constant tensor", async () => {
    const { source, t } = f32Source(new Float32Array(1000).fill(0.5), [10, 100]);
    const s = await computeTensorStats(source, t);
    expect([s.mean, s.std, s.kurtosis, s.absmax_over_std, s.outlier_fraction]).toEqual([0.5, 0, null, null, 0]);
    expect(s.histogram!.counts[32]).toBe(1000);
  });

  it("returns nulls for an empty tensor and for one holding only NaN", async () => {
    for (const x of [new Float32Array(0), new Float32Array([NaN, NaN])]) {
      const { source, t } = f32Source(x);
      const s = await computeTensorStats(source, t);
      expect([s.count, s.mean, s.std, s.kurtosis, s.min, s.max, s.absmax, s.histogram, s.outlier_fraction])
        .toEqual([0, null, null, null, null, null, null, null, null]);
      expect(s.nan_count).toBe(x.length);
    }
  });

  it("returns std 0 and kurtosis null for a single value", async () => {
    const { source, t } = f32Source(new Float32Array([-3]));
    const s = await computeTensorStats(source, t);
    expect([s.count, s.mean, s.std, s.kurtosis, s.absmax, s.min, s.max]).toEqual([1, -3, 0, null, 3, -3, -3]);
  });

  it("finds planted outlier channels of a [rows, cols] weight: exact top-k, outlier fraction, row/col absmax", async () => {
    const [rows, cols] = [300, 1001];
    const x = cosines(rows * cols, 1).map((v) => v * 0.01);
    const planted = [7, 500, 1000, 123];
    planted.forEach((c, j) => { for (let r = 0; r < rows; r += 37) x[r * cols + c] = 5 + j; });
    const { source, t } = f32Source(x, [rows, cols]);
    const s = await computeTensorStats(source, t, { topK: 4 });
    expectMatches(s, x);
    expect(s.channels!.cols.top.map(([c]) => c)).toEqual([123, 1000, 500, 7]);
    const [ca, ra] = [new Float32Array(cols), new Float32Array(rows)];
    channelAbsmax(x, cols, ca, ra);
    expect(s.channels!.cols.top[0]).toEqual([123, ca[123]]);
    expect(s.channels!.rows.top.map(([r]) => r)).toEqual([0, 37, 74, 111]);
    expect(s.channels!.cols.absmax.length).toBe(501);
    expect(s.channels!.cols.bucketSize).toBe(2);
  });

  it("gives the same result with chunks splitting rows, with the re-read pass 2, and per-row channels exact", async () => {
    const [rows, cols] = [37, 3001];
    const x = cosines(rows * cols, 2);
    const base = await computeTensorStats(f32Source(x, [rows, cols]).source, f32Source(x, [rows, cols]).t);
    const small = f32Source(x, [rows, cols], 4 * 1000);
    const split = await computeTensorStats(small.source, small.t, { retainBytes: 0 });
    expect(split.histogram).toEqual(base.histogram);
    expect(split.outlier_fraction).toBe(base.outlier_fraction);
    expect(split.channels).toEqual(base.channels);
    expect(relError(split.std, base.std)).toBeLessThanOrEqual(MAX_STD_REL_ERROR);
    const [ca, ra] = [new Float32Array(cols), new Float32Array(rows)];
    channelAbsmax(x, cols, ca, ra);
    expect(base.channels!.rows.top).toEqual(Array.from(ra).map((v, i) => [i, v] as [number, number]).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 16));
  });

  for (const dtype of ["BF16", "F16", "I8"] as const) {
    it(`decodes ${dtype} (kernel-fused or decodeToF32) and matches the oracle on the decoded values`, async () => {
      const x = cosines(4099 * 3, 5);
      const bytes = dtype === "BF16" ? bf16Bytes(x) : dtype === "F16" ? f16Bytes(x) : new Uint8Array(new Int8Array(x.map((v) => Math.round(v * 50))).buffer);
      const t = memoryTensor("w", dtype, [3, 4099], bytes.length);
      const s = await computeTensorStats(memorySource(new Map([["w", bytes]]), [t]), t);
      const { decodeToF32 } = await import("../../../lib/tensor/decode.ts");
      expectMatches(s, decodeToF32(dtype, bytes));
    });
  }

  it("reports progress in bytes and stops on an aborted signal", async () => {
    const x = cosines(1 << 20);
    const { source, t } = f32Source(x, [1 << 20], 1 << 20);
    const seen: number[] = [];
    await computeTensorStats(source, t, { onProgress: (b) => seen.push(b) });
    expect(seen).toEqual([1, 2, 3, 4].map((i) => i << 20));
    await expect(computeTensorStats(source, t, { signal: AbortSignal.abort() })).rejects.toThrow();
  });
});
