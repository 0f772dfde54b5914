/**
 * kernels-wasm/assembly/stats.ts through lib/kernels/stats-kernel.ts: SIMD kernels against
 * their scalar twins (exact for decode, counts, min/max and channel absmax; named tolerance for
 * f32 block sums) and the twins against float64 oracles.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ACC, acquireStatsKernel, type KernelDType, type StatsKernel } from "../../lib/kernels/stats-kernel.ts";
import { binIndex, binScale, countOutliers, foldSubHistograms, outlierBounds } from "../../lib/stats/index.ts";
import { bf16Bytes, cosines, f16Bytes, F32_BLOCK_SUM_REL_ERROR, F32_BLOCK_SUM_REL_ERROR_REF } from "../stats/reference.ts";

/**
 * f32 block sums of d^k folded into f64 (reference.ts): the SIMD sums are within
 * F32_BLOCK_SUM_REL_ERROR (32-term lanes) of sum |d^k| of the exact value, the Ref's within
 * F32_BLOCK_SUM_REL_ERROR_REF (256-term chain), so the two differ by at most their sum.
 */
const MAX_SIMD_POWER_SUM_REL_ERROR = F32_BLOCK_SUM_REL_ERROR;
const MAX_SIMD_VS_REF_POWER_SUM_REL_ERROR = F32_BLOCK_SUM_REL_ERROR + F32_BLOCK_SUM_REL_ERROR_REF;
const ODD_LENGTHS = [1, 2, 3, 5, 7, 8, 15, 16, 17, 31, 33, 63, 67, 127, 1000];
const SRC = 1 << 20, ACC_PTR = 0, COLS = 1024, ROWS = 1024 + 65536, HIST = 4096;

let k: StatsKernel;
beforeAll(async () => {
  k = await acquireStatsKernel();
  k.reserve(SRC + (16 << 20));
});

/** f16 bits -> f32 bits, textbook formula (NaN payload kept) */
function f16Ref(h: number): number {
  const s = (h & 0x8000) << 16, e = (h >> 10) & 0x1f, m = h & 0x3ff;
  if (e === 0x1f) return (s | 0x7f800000 | (m << 13)) >>> 0;
  const v = (e === 0 ? m * 2 ** -24 : (1 + m / 1024) * 2 ** (e - 15)) * (s ? -1 : 1);
  return new Uint32Array(new Float32Array([v]).buffer)[0]!;
}

function run(dtype: KernelDType, bytes: Uint8Array, rows: number, cols: number, shift: number, simd: boolean, channels: boolean) {
  k.useSimd = simd;
  k.bytes.set(bytes, SRC);
  k.resetAcc(ACC_PTR);
  k.f32(COLS, cols).fill(0);
  k.stats(dtype, SRC, rows, cols, shift, ACC_PTR, channels ? COLS : 0, channels ? ROWS : 0);
  const a = k.f64(ACC_PTR, 11).slice();
  return { a, cols: k.f32(COLS, cols).slice(), rows: k.f32(ROWS, rows).slice() };
}

describe("decode(kind, src, n, dst, simd)", () => {
  for (const dtype of ["BF16", "F16"] as const) {
    it(`decodes all 65536 ${dtype} bit patterns bit for bit, SIMD and scalar alike`, () => {
      const h = new Uint16Array(65536).map((_, i) => i);
      for (const simd of [true, false]) {
        k.useSimd = simd;
        k.bytes.set(new Uint8Array(h.buffer), SRC);
        k.decode(dtype, SRC, 65536, SRC + 131072);
        const got = k.u32(SRC + 131072, 65536);
        for (let i = 0; i < 65536; i++) {
          const want = dtype === "BF16" ? (i << 16) >>> 0 : f16Ref(i);
          if (got[i] !== want) expect(`${i.toString(16)} -> ${got[i]!.toString(16)}`).toBe(want.toString(16));
        }
      }
    });
  }
});

describe("stats<dtype>(src, rows, rowLen, shift, acc, colAbs, rowAbs)", () => {
  for (const n of ODD_LENGTHS) {
    for (const dtype of ["F32", "BF16", "F16"] as const) {
      it(`SIMD equals the Ref on ${dtype} [3, ${n}] with NaN/Inf planted: counts, extent, channels exact`, () => {
        const x = cosines(3 * n, n);
        if (n > 4) [x[1], x[n + 2], x[2 * n + 3]] = [NaN, Infinity, -Infinity];
        const bytes = dtype === "F32" ? new Uint8Array(x.buffer) : dtype === "BF16" ? bf16Bytes(x) : f16Bytes(x);
        const s = run(dtype, bytes, 3, n, 0.25, true, true);
        const r = run(dtype, bytes, 3, n, 0.25, false, true);
        for (const i of [ACC.N, ACC.MIN, ACC.MAX, ACC.NAN, ACC.INF]) expect(s.a[i]).toBe(r.a[i]);
        expect(s.cols).toEqual(r.cols);
        expect(s.rows).toEqual(r.rows);
        const h = new Uint16Array(bytes.buffer);
        const dec = dtype === "F32" ? x : new Float32Array(new Uint32Array(h).map((b) => (dtype === "BF16" ? b << 16 : f16Ref(b))).buffer);
        for (let p = 1; p <= 4; p++) {
          let abs = 0, sum = 0;
          for (const v of dec) if (Number.isFinite(v)) { abs += Math.abs((v - 0.25) ** p); sum += (v - 0.25) ** p; }
          expect(Math.abs(s.a[p]! - r.a[p]!)).toBeLessThanOrEqual(MAX_SIMD_VS_REF_POWER_SUM_REL_ERROR * abs);
          expect(Math.abs(s.a[p]! - sum)).toBeLessThanOrEqual(MAX_SIMD_POWER_SUM_REL_ERROR * abs);
          expect(Math.abs(r.a[p]! - sum)).toBeLessThanOrEqual(F32_BLOCK_SUM_REL_ERROR_REF * abs);
        }
      });
    }
  }

  it("redoes a block in f64 when its f32 powers overflow (|d| = 1e12: d^4 > FLT_MAX)", () => {
    const x = new Float32Array([1e12, -1e12, 3, 4]);
    const { a } = run("F32", new Uint8Array(x.buffer), 1, 4, 0, true, false);
    expect(a[ACC.S4]).toBe(x.reduce((s, v) => s + v * v * (v * v), 0)); // f64, same order as blockSlow
    expect(a[ACC.N]).toBe(4);
  });
});

describe("sweep<dtype>(src, n, lo, hi, hmin, hscale, bins, hist, acc, checked)", () => {
  for (const n of [...ODD_LENGTHS.filter((n) => n > 1), 100003]) {
    it(`SIMD equals the Ref and the plain-JS rule on ${n} values: zeros, outliers, 64-bin histogram`, () => {
      const x = cosines(n, 7);
      for (let i = 0; i < n; i += 13) x[i] = 0;
      x[n >> 1] = 40;
      const [lo, hi] = outlierBounds(0.1, 1.4);
      const min = Math.min(...x), max = Math.max(...x), bins = 64, scale = binScale(min, max, bins);
      const want = new Array(bins).fill(0);
      for (const v of x) want[binIndex(v, min, scale, bins)]++;
      for (const simd of [true, false]) {
        k.useSimd = simd;
        k.bytes.set(new Uint8Array(x.buffer), SRC);
        k.u32(HIST, 4 * bins).fill(0);
        k.resetAcc(ACC_PTR);
        k.sweep("F32", SRC, n, lo, hi, min, scale, bins, HIST, ACC_PTR, false);
        expect(foldSubHistograms(k.u32(HIST, 4 * bins), bins)).toEqual(want);
        expect(k.f64(ACC_PTR, 11)[ACC.ZERO]).toBe(x.filter((v) => v === 0).length);
        expect(k.f64(ACC_PTR, 11)[ACC.OUT]).toBe(countOutliers(x, lo, hi));
      }
    });
  }
});

describe("sweep<dtype> pair-key path (bins <= 64, n >= 16 bins^2) and its fallbacks", () => {
  /** the kernel's sub-histograms folded, zero and outlier counts, for the SIMD kernel or the Ref */
  const sweep = (dtype: KernelDType, bytes: Uint8Array, n: number, lo: number, hi: number, min: number, scale: number, bins: number, simd: boolean) => {
    k.useSimd = simd;
    k.bytes.set(bytes, SRC);
    k.u32(HIST, 4 * bins).fill(0);
    k.bytes.fill(0xa5, HIST + 16 * bins, HIST + 16 * bins + 64); // stale scratch: the kernel must not trust it
    k.resetAcc(ACC_PTR);
    k.sweep(dtype, SRC, n, lo, hi, min, scale, bins, HIST, ACC_PTR, false);
    const a = k.f64(ACC_PTR, 11);
    return { counts: foldSubHistograms(k.u32(HIST, 4 * bins), bins), zero: a[ACC.ZERO], out: a[ACC.OUT] };
  };
  /** values with zeros (+0 and -0), the extremes (top bin clamp), bin edges and outliers */
  const values = (n: number, bins: number) => {
    const x = cosines(n, bins + 3);
    for (let i = 0; i < n; i += 11) x[i] = 0;
    for (let i = 5; i < n; i += 29) x[i] = -0;
    for (let i = 3; i < n; i += 37) x[i] = 1 + (i % 3); // outliers, the last one the max
    for (let i = 7; i < n; i += 41) x[i] = -1 + (2 * ((i >> 3) % (bins + 1))) / bins; // bin edges in [-1, 1]
    x[n - 1] = -3; // the min, in the tail or a step
    return x;
  };
  for (const bins of [1, 2, 7, 63, 64, 65]) {
    const cut = 16 * bins * bins; // below: the one-key path; at and above: pair keys (bins <= 64)
    for (const n of [cut - 1, cut, cut + 17, Math.max(cut + 16 * 1001 + 9, 100003)]) {
      it(`f32, ${bins} bins, ${n} values: SIMD equals the Ref and the plain-JS rule exactly`, () => {
        const x = values(n, bins);
        const [lo, hi] = outlierBounds(0.01, 0.3);
        let min = Infinity, max = -Infinity;
        for (const v of x) { min = Math.min(min, v); max = Math.max(max, v); }
        const scale = binScale(min, max, bins);
        const want = new Array(bins).fill(0);
        for (const v of x) want[binIndex(v, min, scale, bins)]++;
        const bytes = new Uint8Array(x.buffer);
        const got = sweep("F32", bytes, n, lo, hi, min, scale, bins, true);
        expect(got.counts).toEqual(want);
        expect(got).toEqual(sweep("F32", bytes, n, lo, hi, min, scale, bins, false));
        expect(got.zero).toBe(x.filter((v) => v === 0).length);
        expect(got.out).toBe(countOutliers(x, lo, hi));
      });
    }
  }
  for (const dtype of ["BF16", "F16"] as const) {
    it(`${dtype}, 64 bins, 70001 values (pair keys on decoded values): SIMD equals the Ref exactly`, () => {
      const n = 70001, x = values(n, 64);
      const bytes = dtype === "BF16" ? bf16Bytes(x) : f16Bytes(x);
      const got = sweep(dtype, bytes, n, -0.5, 0.5, -3, binScale(-3, 3, 64), 64, true);
      expect(got).toEqual(sweep(dtype, bytes, n, -0.5, 0.5, -3, binScale(-3, 3, 64), 64, false));
      expect(got.counts.reduce((a, b) => a + b, 0)).toBe(n);
    });
  }
  it("a second call adds to the sub-histograms and counts (the pair tables are per call)", () => {
    const n = 70000, x = values(n, 64), bytes = new Uint8Array(x.buffer), scale = binScale(-3, 3, 64);
    for (const simd of [true, false]) {
      const once = sweep("F32", bytes, n, -0.5, 0.5, -3, scale, 64, simd);
      k.useSimd = simd;
      k.bytes.set(bytes, SRC);
      k.u32(HIST, 4 * 64).fill(0);
      k.resetAcc(ACC_PTR);
      k.sweep("F32", SRC, n, -0.5, 0.5, -3, scale, 64, HIST, ACC_PTR, false);
      k.sweep("F32", SRC, n, -0.5, 0.5, -3, scale, 64, HIST, ACC_PTR, false);
      expect(foldSubHistograms(k.u32(HIST, 4 * 64), 64)).toEqual(once.counts.map((c) => 2 * c));
      expect(k.f64(ACC_PTR, 11)[ACC.ZERO]).toBe(2 * once.zero!);
      expect(k.f64(ACC_PTR, 11)[ACC.OUT]).toBe(2 * once.out!);
    }
  });
  it("rejects a hist pointer without room for the pair tables", () => {
    expect(() => k.sweep("F32", SRC, 16, -1, 1, -1, 32, 64, k.size - 16 * 64 - 64, ACC_PTR, false)).toThrow(RangeError);
  });
});

describe("keys<dtype>(src, rows, rowLen, keys, colAbs, rowAbs)", () => {
  const KEYS = SRC + (8 << 20);
  for (const n of [...ODD_LENGTHS, 8191]) {
    for (const dtype of ["BF16", "F16"] as const) {
      it(`SIMD equals the Ref exactly on ${dtype} [3, ${n}] with NaN/Inf: key counts, u16 channel absmax`, () => {
        const x = cosines(3 * n, n);
        if (n > 4) [x[1], x[n + 2], x[2 * n + 3]] = [NaN, Infinity, -Infinity];
        const bytes = dtype === "BF16" ? bf16Bytes(x) : f16Bytes(x);
        const run16 = (simd: boolean) => {
          k.useSimd = simd;
          k.bytes.set(bytes, SRC);
          k.u32(KEYS, 2 * 65536).fill(0);
          k.u16(COLS, n).fill(0);
          k.keys(dtype, SRC, 3, n, KEYS, COLS, ROWS);
          const t = k.u32(KEYS, 2 * 65536), keys = t.slice(0, 65536).map((c, h) => c + t[65536 + h]!);
          return { keys, cols: k.u16(COLS, n).slice(), rows: k.u16(ROWS, 3).slice() };
        };
        const [s, r] = [run16(true), run16(false)];
        expect(s).toEqual(r);
        const h = new Uint16Array(bytes.buffer);
        expect(s.keys[h[0]!]).toBe(h.filter((v) => v === h[0]).length);
        const lim = dtype === "BF16" ? 0x7f80 : 0x7c00;
        const colMax = Array.from({ length: n }, (_, c) => Math.max(...[0, 1, 2].map((row) => h[row * n + c]! & 0x7fff).map((a) => (a >= lim ? 0 : a))));
        expect(Array.from(s.cols)).toEqual(colMax);
      });
    }
  }
});
