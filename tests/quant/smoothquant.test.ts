/** smoothquant.ts: scales by hand, the reference's floors, folding keeps the FP output, and W8A8 error drops with outlier channels. */
import { describe, expect, it } from "vitest";
import { applySmoothing, smoothquantScales, weightColumnAbsmax } from "../../lib/quant/smoothquant.ts";
import { pseudoQuantize, pseudoQuantizeActivations } from "../../lib/quant/rtn.ts";
import { calibrationInputs, randomWeights } from "./calibration.ts";

/** folding rounds x/s, g/s and w*s to f32 once each: a few f32 ulps of the output norm */
const MAX_FOLD_REL_ERROR = 1e-6;
/** SmoothQuant must cut W8A8's output error at least this much with x30 outlier channels (2.7x on this data) */
const MIN_SMOOTH_GAIN_W8A8 = 2;

const COLS = 128, TOKENS = 64, OUTLIERS = [9, 64, 101];
const X = calibrationInputs(7, TOKENS, COLS, OUTLIERS, 30);
const colAbsmax = (x: Float32Array, cols: number) => {
  const m = new Float32Array(cols);
  for (let i = 0; i < x.length; i++) m[i % cols] = Math.max(m[i % cols]!, Math.abs(x[i]!));
  return m;
};

/** Y = (X diag(g)) W^T in float64 for each weight, flattened */
function outputs(x: Float32Array, g: Float32Array, weights: Array<{ w: Float32Array; rows: number }>): number[] {
  const y: number[] = [];
  for (const { w, rows } of weights) for (let t = 0; t < TOKENS; t++) for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < COLS; j++) s += x[t * COLS + j]! * g[j]! * w[r * COLS + j]!;
    y.push(s);
  }
  return y;
}
const relErr = (a: number[], b: number[]) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0) / b.reduce((s, v) => s + v * v, 0));

describe("smoothquantScales", () => {
  it("smoothquantScales([4, 1], W with column maxes [1, 4], 0.5) is [2, 0.5]", () => {
    const w = Float32Array.of(1, -4, -0.5, 2);
    expect(Array.from(weightColumnAbsmax([{ w, rows: 2, cols: 2 }]))).toEqual([1, 4]);
    expect(Array.from(smoothquantScales([4, 1], [{ w, rows: 2, cols: 2 }]))).toEqual([2, 0.5]);
  });

  it("smoothquantScales(a, weights) takes max|W_j| over every weight sharing the input", () => {
    const a = { w: Float32Array.of(1, 1), rows: 1, cols: 2 }, b = { w: Float32Array.of(9, 0.25), rows: 1, cols: 2 };
    expect(Array.from(smoothquantScales([9, 4], [a, b], 0.5))).toEqual([1, 2]); // column maxes [9, 1]
    expect(Array.from(smoothquantScales([8, 8], [a], 1))).toEqual([8, 8]); // alpha 1: all onto the weights
  });

  it("smoothquantScales floors max|W_j| and s at 1e-5 as the reference does", () => {
    const w = { w: Float32Array.of(0, 1), rows: 1, cols: 2 };
    const s = smoothquantScales([1, 0], [w], 0.5);
    expect(s[0]).toBe(Math.fround(1 / Math.fround(Math.sqrt(Math.fround(1e-5)))));
    expect(s[1]).toBe(Math.fround(1e-5));
    expect(() => smoothquantScales([1], [w])).toThrow(RangeError);
  });
});

describe("applySmoothing", () => {
  const layers = [randomWeights(1, 24, COLS, 0.05), randomWeights(2, 40, COLS, 0.05)].map((w) => ({ w, rows: w.length / COLS, cols: COLS }));
  const norm = Float32Array.from({ length: COLS }, (_, j) => 0.5 + (j % 7) / 7);

  it("applySmoothing(norm, weights, s) leaves the FP output (x * g) W^T unchanged to f32 tolerance", () => {
    const ref = outputs(X, norm, layers);
    const g = norm.slice(), ws = layers.map((l) => ({ ...l, w: l.w.slice() }));
    const xg = Float32Array.from(X, (v, i) => v * norm[i % COLS]!);
    const s = smoothquantScales(colAbsmax(xg, COLS), ws);
    applySmoothing(g, ws, s);
    expect(relErr(outputs(X, g, ws), ref)).toBeLessThan(MAX_FOLD_REL_ERROR);
    expect(g).not.toEqual(norm);
  });

  it("applySmoothing lowers the W8A8 output error when activations have outlier channels", () => {
    const ones = new Float32Array(COLS).fill(1), ref = outputs(X, ones, layers);
    const w8a8 = (x: Float32Array, ws: typeof layers) =>
      outputs(pseudoQuantizeActivations(x, TOKENS, COLS, 8), ones, ws.map((l) => ({ ...l, w: pseudoQuantize(l.w, l.rows, COLS, { bits: 8 }) })));
    const plain = relErr(w8a8(X, layers), ref);
    // smoothing: the norm before the linears produces x / s, the weights get w * s
    const ws = layers.map((l) => ({ ...l, w: l.w.slice() })), g = ones.slice();
    const s = smoothquantScales(colAbsmax(X, COLS), ws);
    applySmoothing(g, ws, s);
    const smoothed = relErr(w8a8(Float32Array.from(X, (v, i) => v * g[i % COLS]!), ws), ref);
    expect(plain / smoothed).toBeGreaterThan(MIN_SMOOTH_GAIN_W8A8);
  });

  it("applySmoothing(null, weights, s, bias) divides a norm bias too, and skips a missing norm", () => {
    const w = { w: Float32Array.of(1, 2), rows: 1, cols: 2 }, bias = Float32Array.of(4, 4);
    applySmoothing(null, [w], Float32Array.of(2, 4), bias);
    expect([Array.from(w.w), Array.from(bias)]).toEqual([[2, 8], [2, 1]]);
  });
});
