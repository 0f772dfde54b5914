/** awq.ts / awq-clip.ts: scale normalisation by hand, alpha 0 = RTN, AWQ beats RTN on outlier channels, clip search. */
import { describe, expect, it } from "vitest";
import { applyClip, searchAwqClip } from "../../lib/quant/awq-clip.ts";
import { actMeanAbs, awqPseudoQuantize, awqScalesFor, outputSqError, searchAwqScales } from "../../lib/quant/awq.ts";
import { pseudoQuantize } from "../../lib/quant/rtn.ts";
import { calibrationInputs, gram, outputError, randomWeights } from "./calibration.ts";

/** AWQ must cut RTN's output error on outlier-channel inputs by at least this factor at 3 and 4 bits */
const MIN_AWQ_GAIN = 1.2;
/** Gram-matrix vs per-token sums of the same float64 squares */
const MAX_ERROR_PATH_REL_DIFF = 1e-9;

const COLS = 128, TOKENS = 192, OUTLIERS = [5, 77, 100];
const X = calibrationInputs(3, TOKENS, COLS, OUTLIERS, 30);
const LAYERS = [0, 1, 2].map((k) => ({ w: randomWeights(10 + k, 16 + 8 * k, COLS), rows: 16 + 8 * k, cols: COLS }));

describe("awqScalesFor", () => {
  it("awqScalesFor([1, 4], 0.5) is [1, 2] / sqrt(2): normalised so max * min = 1", () => {
    const s = awqScalesFor([1, 4], 0.5);
    expect(Array.from(s)).toEqual([Math.fround(1 / Math.fround(Math.SQRT2)), Math.fround(2 / Math.fround(Math.SQRT2))]);
  });

  it("awqScalesFor(m, alpha) floors m^alpha at 1e-4 before normalising, and alpha 0 gives ones", () => {
    const s = awqScalesFor([0, 1], 1);
    expect(s[1]! / s[0]!).toBeCloseTo(1e4, 0);
    expect(Array.from(awqScalesFor([0, 3, 7], 0))).toEqual([1, 1, 1]);
  });

  it("actMeanAbs(x, cols) is the mean |x| per column", () => {
    expect(Array.from(actMeanAbs([1, -2, -3, 4], 2))).toEqual([2, 3]);
  });
});

describe("searchAwqScales", () => {
  it("searchAwqScales(layers, x, {grid: 1}) is RTN: alpha 0, unit scales, error = errorRtn", () => {
    const r = searchAwqScales(LAYERS, X, { bits: 4, groupSize: 32, grid: 1 });
    expect([r.alpha, r.error]).toEqual([0, r.errorRtn]);
    expect(Array.from(r.scales).every((v) => v === 1)).toBe(true);
    const l = LAYERS[0]!;
    expect(awqPseudoQuantize(l, r.scales, { bits: 4, groupSize: 32 })).toEqual(pseudoQuantize(l.w, l.rows, COLS, { bits: 4, groupSize: 32 }));
    // errorRtn is the mean squared output error of RTN over tokens and rows of all layers
    const h = gram(X, TOKENS, COLS), rows = LAYERS.reduce((a, x) => a + x.rows, 0);
    const rtn = LAYERS.reduce((a, x) => a + outputError(h, x.w, pseudoQuantize(x.w, x.rows, COLS, { bits: 4, groupSize: 32 }), x.rows, COLS), 0);
    expect(Math.abs(r.errorRtn - rtn / (rows * TOKENS)) / r.errorRtn).toBeLessThan(MAX_ERROR_PATH_REL_DIFF);
  });

  for (const [bits, groupSize] of [[3, 32], [4, 128], [4, -1]] as const) {
    it(`searchAwqScales(layers, x, {bits: ${bits}, groupSize: ${groupSize}}) picks alpha > 0 and lowers the output error against RTN`, () => {
      const r = searchAwqScales(LAYERS, X, { bits, groupSize });
      expect(r.alpha).toBeGreaterThan(0);
      expect(r.alpha).toBeLessThan(1);
      expect(r.errorRtn / r.error).toBeGreaterThan(MIN_AWQ_GAIN);
      // the outlier channels get the largest scales
      const top = Array.from(r.scales.keys()).sort((a, b) => r.scales[b]! - r.scales[a]!).slice(0, 3).sort((a, b) => a - b);
      expect(top).toEqual(OUTLIERS);
    });
  }

  it("outputSqError(x, ...) gives the same sum through X^T X as token by token", () => {
    const l = LAYERS[1]!, q = pseudoQuantize(l.w, l.rows, COLS, { bits: 3 }), h = gram(X, TOKENS, COLS);
    const direct = outputSqError(X, COLS, l.w, q, l.rows), viaGram = outputSqError(X, COLS, l.w, q, l.rows, h);
    expect(Math.abs(direct - viaGram) / direct).toBeLessThan(MAX_ERROR_PATH_REL_DIFF);
  });

  it("searchAwqScales(layers, x) rejects weights of different widths", () => {
    expect(() => searchAwqScales([LAYERS[0]!, { w: new Float32Array(8), rows: 1, cols: 8 }], X, { bits: 4 })).toThrow(RangeError);
  });
});

describe("searchAwqClip", () => {
  // weights with a few planted large entries, where clipping pays at 3 bits
  const W = randomWeights(21, 32, COLS);
  for (let i = 0; i < W.length; i += 97) W[i]! *= 8;

  it("searchAwqClip(w, ...) returns a clip per (row, group) within [ (1 - maxShrink) max|w|, max|w| ]", () => {
    const clip = searchAwqClip(W, 32, COLS, X, { bits: 3, groupSize: 32 });
    expect(clip.length).toBe(32 * 4);
    for (let r = 0; r < 32; r++) for (let gi = 0; gi < 4; gi++) {
      const m = Math.max(...Array.from(W.subarray(r * COLS + gi * 32, r * COLS + gi * 32 + 32), Math.abs));
      expect(clip[r * 4 + gi]).toBeLessThanOrEqual(m);
      expect(clip[r * 4 + gi]).toBeGreaterThan(0.5 * m - 1e-6);
    }
    expect(clip.some((c, k) => c < Math.max(...Array.from(W.subarray(Math.floor(k / 4) * COLS + (k % 4) * 32, Math.floor(k / 4) * COLS + (k % 4) * 32 + 32), Math.abs)))).toBe(true);
  });

  it("searchAwqClip then applyClip lowers the output error of 3-bit RTN on weights with outliers", () => {
    const opts = { bits: 3, groupSize: 32 };
    const clipped = applyClip(W.slice(), 32, COLS, 32, searchAwqClip(W, 32, COLS, X, opts));
    const before = outputSqError(X, COLS, W, pseudoQuantize(W, 32, COLS, opts), 32);
    const after = outputSqError(X, COLS, W, pseudoQuantize(clipped, 32, COLS, opts), 32);
    expect(after).toBeLessThan(before);
  });

  it("searchAwqScales(layers, x, {clip: true}) reports clips and an error no worse than without", () => {
    const layers = [{ w: W, rows: 32, cols: COLS }];
    const plain = searchAwqScales(layers, X, { bits: 3, groupSize: 32 }), clipped = searchAwqScales(layers, X, { bits: 3, groupSize: 32, clip: true });
    expect(clipped.clip?.[0]?.length).toBe(32 * 4);
    expect(clipped.alpha).toBe(plain.alpha);
    expect(clipped.error).toBeLessThanOrEqual(plain.error);
  });
});
