/** gptq.ts: GPTQ vs RTN on planted-outlier calibration data, an OBQ-style float64 oracle, H = I, dead columns, blocks. */
import { describe, expect, it } from "vitest";
import { quantizeGptq } from "../../lib/quant/gptq.ts";
import { dequantizeValue, quantizeValue, rangeParams } from "../../lib/quant/round.ts";
import { dequantize, pseudoQuantize, quantizeRtn } from "../../lib/quant/rtn.ts";
import { calibrationInputs, gram, outputError, randomWeights } from "./calibration.ts";

/** GPTQ must cut the calibration output error of RTN at 3 bits by at least this factor (1.8-2.2x on this data) */
const MIN_GPTQ_GAIN_3BIT = 1.5;
/** lazy blocks only reorder float64 sums: a code flips only at an exact tie, none expected */
const MAX_BLOCK_CODE_MISMATCHES = 2;
/** the oracle updates H^-1 by rank-1 downdates instead of a Cholesky factor: same math, ~1e-12 apart */
const MAX_ORACLE_CODE_MISMATCHES = 2;

const ROWS = 24, COLS = 64, TOKENS = 256, OUTLIERS = [3, 17, 40];
const X = calibrationInputs(1, TOKENS, COLS, OUTLIERS);
const H = gram(X, TOKENS, COLS);
const W = randomWeights(2, ROWS, COLS);

/**
 * OBQ-form oracle of GPTQ (paper eq. 2-3, no Cholesky, no blocks): quantize column j, spread
 * e = (w_j - q_j) / [H^-1]_jj over the remaining columns with H^-1[j, :], then remove j from H^-1.
 */
function oracleGptq(w: Float32Array, h: Float64Array, rows: number, cols: number, bits: number, g: number): Float32Array {
  const n = cols, hd = Float64Array.from(h);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += hd[i * n + i]! / n;
  for (let i = 0; i < n; i++) hd[i * n + i] += 0.01 * mean;
  // Gauss-Jordan inverse
  const a = Float64Array.from(hd), inv = Float64Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 1 : 0));
  for (let c = 0; c < n; c++) {
    const p = a[c * n + c]!;
    for (let k = 0; k < n; k++) { a[c * n + k] /= p; inv[c * n + k] /= p; }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r * n + c]!;
      for (let k = 0; k < n; k++) { a[r * n + k] -= f * a[c * n + k]!; inv[r * n + k] -= f * inv[c * n + k]!; }
    }
  }
  const wk = Float64Array.from(w), out = new Float32Array(rows * cols), params = new Float64Array(2);
  const rowParams = Array.from({ length: rows }, (_, r) => Array.from(rangeParams(w, r * cols, (r + 1) * cols, bits, false, params)));
  for (let j = 0; j < n; j++) {
    for (let r = 0; r < rows; r++) {
      // params: per row from the original W, or per group from the current weights at its start
      if (g > 0 && j % g === 0) rowParams[r] = Array.from(rangeParams(Float32Array.from(wk.subarray(r * cols + j, r * cols + j + g)), 0, g, bits, false, params));
      const [scale, zero] = rowParams[r]!;
      const v = wk[r * cols + j]!, q = dequantizeValue(quantizeValue(Math.fround(v), scale!, zero!, bits, false), zero!, scale!);
      out[r * cols + j] = q;
      const e = (v - q) / inv[j * n + j]!;
      for (let k = j + 1; k < n; k++) wk[r * cols + k] -= e * inv[j * n + k]!;
    }
    // remove j: Hinv -= Hinv[:, j] Hinv[j, :] / Hinv[j, j]
    const d = inv[j * n + j]!, col = Float64Array.from({ length: n }, (_, i) => inv[i * n + j]!);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) inv[i * n + k] -= (col[i]! * col[k]!) / d;
  }
  return out;
}

const mismatches = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => m + (v === b[i] ? 0 : 1), 0);

describe("quantizeGptq", () => {
  for (const [groupSize, actOrder] of [[-1, false], [16, false], [-1, true], [16, true]] as const) {
    it(`quantizeGptq(W, H, {bits: 3, groupSize: ${groupSize}, actOrder: ${actOrder}}) lowers ||XW^T - XQ^T|| against RTN with outlier input channels`, () => {
      const opts = { bits: 3, groupSize, sym: false };
      const rtn = outputError(H, W, pseudoQuantize(W, ROWS, COLS, opts), ROWS, COLS);
      const gptq = quantizeGptq(W, ROWS, COLS, H, { ...opts, actOrder });
      expect(rtn / outputError(H, W, gptq.dequantized, ROWS, COLS)).toBeGreaterThan(MIN_GPTQ_GAIN_3BIT);
      expect(dequantize(gptq.matrix)).toEqual(gptq.dequantized);
      expect(gptq.matrix.groupSize).toBe(groupSize === -1 ? COLS : groupSize);
    });
  }

  for (const groupSize of [-1, 16]) {
    it(`quantizeGptq(W, H, {groupSize: ${groupSize}}) matches the OBQ-form float64 oracle (H^-1 rank-1 downdates)`, () => {
      const got = quantizeGptq(W, ROWS, COLS, H, { bits: 3, groupSize, blockSize: 8 }).dequantized;
      expect(mismatches(got, oracleGptq(W, H, ROWS, COLS, 3, groupSize))).toBeLessThanOrEqual(MAX_ORACLE_CODE_MISMATCHES);
    });
  }

  it("quantizeGptq(W, I) equals RTN: no correlation, nothing to compensate", () => {
    const eye = Float64Array.from({ length: COLS * COLS }, (_, k) => (k % (COLS + 1) === 0 ? 1 : 0));
    for (const opts of [{ bits: 4, groupSize: -1 }, { bits: 3, groupSize: 16, sym: true }, { bits: 2, groupSize: 32 }]) {
      expect(quantizeGptq(W, ROWS, COLS, eye, opts).dequantized).toEqual(pseudoQuantize(W, ROWS, COLS, opts));
    }
  });

  it("quantizeGptq(W, H, {blockSize}) gives the same codes for blocks of 128, 7 (groups of 16 straddle them) and 1", () => {
    const opts = { bits: 3, groupSize: 16 };
    const ref = quantizeGptq(W, ROWS, COLS, H, { ...opts, blockSize: 1 }).dequantized;
    for (const blockSize of [128, 7, 32]) expect(mismatches(quantizeGptq(W, ROWS, COLS, H, { ...opts, blockSize }).dequantized, ref)).toBeLessThanOrEqual(MAX_BLOCK_CODE_MISMATCHES);
  });

  it("quantizeGptq(W, H) with a dead input (H_ii = 0) zeroes that weight column", () => {
    const h = Float64Array.from(H);
    for (let k = 0; k < COLS; k++) { h[5 * COLS + k] = 0; h[k * COLS + 5] = 0; }
    const { dequantized } = quantizeGptq(W, ROWS, COLS, h, { bits: 4, groupSize: 16 });
    for (let r = 0; r < ROWS; r++) expect(dequantized[r * COLS + 5]).toBe(0);
  });

  it("quantizeGptq(W, H, {actOrder: true, groupSize: 16}) uses static groups from the original column order", () => {
    const { matrix } = quantizeGptq(W, ROWS, COLS, H, { bits: 4, groupSize: 16, actOrder: true });
    const rtn = quantizeRtn(W, ROWS, COLS, { bits: 4, groupSize: 16 });
    expect([matrix.scales, matrix.zeros]).toEqual([rtn.scales, rtn.zeros]);
  });

  it("quantizeGptq(W, H) rejects a wrong H size and a singular H with no damping", () => {
    expect(() => quantizeGptq(W, ROWS, COLS, new Float64Array(10), { bits: 4 })).toThrow(/H has 10 values/);
    const rank1 = gram(Float32Array.from({ length: COLS }, (_, i) => i + 1), 1, COLS);
    expect(() => quantizeGptq(W, ROWS, COLS, rank1, { bits: 4, dampPercent: 0 })).toThrow(/not positive definite/);
  });
});
