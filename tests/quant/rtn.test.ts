/** rtn.ts: hand-computed RTN with exact f32 ties, group fallbacks, NaN/Inf, and a float64 oracle on random matrices. */
import { describe, expect, it } from "vitest";
import { dequantize, pseudoQuantize, pseudoQuantizeActivations, pseudoQuantizeKv, quantizeActivations, quantizeRtn, resolveGroupSize } from "../../lib/quant/rtn.ts";
import { mulberry32 } from "../../lib/tensor/prng.ts";

/** f32 vs f64 arithmetic flips a code only when x/scale lies within ~1e-7 relative of a .5 tie: none expected in 8k random values */
const MAX_ORACLE_CODE_MISMATCHES = 2;
/** f32 scale vs f64 scale: one f32 rounding of the range and one of the division */
const MAX_ORACLE_SCALE_REL_ERROR = 2 ** -22;

/** Random matrix with a few large entries, so groups differ in range. */
function randomMatrix(rows: number, cols: number, seed: number): Float32Array {
  const rand = mulberry32(seed), w = new Float32Array(rows * cols);
  for (let i = 0; i < w.length; i++) w[i] = (rand() - 0.5) * (rand() < 0.01 ? 20 : 1);
  return w;
}

/** float64 oracle of Qllm-Eval's formulas, no fround: [codes, scale per group, dequant] */
function oracle(w: Float32Array, n: number, g: number, bits: number, sym: boolean) {
  const rhe = (x: number) => { const f = Math.floor(x); return x - f === 0.5 ? (f % 2 === 0 ? f : f + 1) : Math.round(x); };
  const codes: number[] = [], scales: number[] = [], dq: number[] = [];
  for (let s = 0; s < n; s += g) {
    const grp = Array.from(w.subarray(s, s + g)), mn = Math.min(...grp), mx = Math.max(...grp);
    if (sym) {
      const half = 2 ** (bits - 1), scale = Math.max(Math.max(-mn, mx), 1e-5) / (half - 1);
      scales.push(scale);
      for (const x of grp) { const q = Math.min(Math.max(rhe(x / scale), -half), half - 1); codes.push(q + half); dq.push(q * scale); }
    } else {
      const maxq = 2 ** bits - 1, scale = Math.max(mx - mn, 1e-5) / maxq, zero = Math.min(Math.max(-rhe(mn / scale), 0), maxq);
      scales.push(scale);
      for (const x of grp) { const c = Math.min(Math.max(rhe(x / scale) + zero, 0), maxq); codes.push(c); dq.push((c - zero) * scale); }
    }
  }
  return { codes, scales, dq };
}

describe("quantizeRtn: hand-computed cases", () => {
  it("quantizeRtn(w, 1, 4, {bits: 2}) rounds the tie 0.5 to even", () => {
    // range 3 -> scale 1, zero 0; 0.5 -> 0 (even), 1.5 -> 2 (even)
    const q = quantizeRtn(Float32Array.of(0, 0.5, 1.5, 3), 1, 4, { bits: 2 });
    expect(Array.from(q.codes)).toEqual([0, 0, 2, 3]);
    expect([q.scales[0], q.zeros[0], q.groupSize]).toEqual([1, 0, 4]);
    expect(Array.from(dequantize(q))).toEqual([0, 0, 2, 3]);
  });

  it("quantizeRtn(w, 1, 2, {bits: 2}) rounds the negative tie -2.5 to -2 (zero point and code)", () => {
    // scale 1, zero = -round(-2.5) = 2; code(-2.5) = -2 + 2 = 0, code(0.5) = 0 + 2 = 2
    const q = quantizeRtn(Float32Array.of(-2.5, 0.5), 1, 2, { bits: 2 });
    expect([Array.from(q.codes), q.zeros[0]]).toEqual([[0, 2], 2]);
    expect(Array.from(dequantize(q))).toEqual([-2, 0]);
  });

  it("quantizeRtn(w, 1, 3, {bits: 2}) clamps the code above 2^b - 1", () => {
    // scale 1, zero = -round(-1.5) = 2; code(1.5) = 2 + 2 = 4 -> 3
    const q = quantizeRtn(Float32Array.of(-1.5, 0, 1.5), 1, 3, { bits: 2 });
    expect(Array.from(q.codes)).toEqual([0, 2, 3]);
    expect(Array.from(pseudoQuantize(Float32Array.of(-1.5, 0, 1.5), 1, 3, { bits: 2 }))).toEqual([-2, 0, 1]);
  });

  it("quantizeRtn(w, 1, 4, {bits: 4, sym: true}) rounds ties to even around zero point 8", () => {
    // absmax 7 -> scale 1; q = 7, round(-3.5) = -4, round(2.5) = 2, round(0.5) = 0
    const q = quantizeRtn(Float32Array.of(7, -3.5, 2.5, 0.5), 1, 4, { bits: 4, sym: true });
    expect(Array.from(q.codes)).toEqual([15, 4, 10, 8]);
    expect([q.scales[0], q.zeros[0], q.sym]).toEqual([1, 8, true]);
    expect(Array.from(dequantize(q))).toEqual([7, -4, 2, 0]);
  });

  it("quantizeRtn(w, 1, 4, {bits: 8}) computes the scale and codes in f32 (0.1 is not exact)", () => {
    const w = Float32Array.of(-0.1, 0, 0.05, 0.2);
    const scale = Math.fround(Math.fround(Math.fround(0.2) - Math.fround(-0.1)) / 255);
    const zero = -Math.round(Math.fround(Math.fround(-0.1) / scale)); // no tie here
    const q = quantizeRtn(w, 1, 4, { bits: 8 });
    expect([q.scales[0], q.zeros[0]]).toEqual([scale, zero]);
    expect(q.codes[3]).toBe(Math.min(255, Math.round(Math.fround(Math.fround(0.2) / scale)) + zero));
  });
});

describe("quantizeRtn: groups", () => {
  it("resolveGroupSize(cols, g): g dividing cols, -1, 0 and a g that does not divide cols", () => {
    expect([resolveGroupSize(256, 128), resolveGroupSize(256, -1), resolveGroupSize(256, 0), resolveGroupSize(200, 128), resolveGroupSize(64, 128)])
      .toEqual([128, 256, 256, 200, 64]);
    expect(() => resolveGroupSize(8, -2)).toThrow(RangeError);
  });

  it("quantizeRtn(w, 2, 6, {groupSize: 4}) uses one group per row when 4 does not divide the row", () => {
    const w = Float32Array.of(0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15);
    const q = quantizeRtn(w, 2, 6, { bits: 4, groupSize: 4 });
    expect([q.groupSize, q.scales.length]).toEqual([6, 2]);
    expect(Array.from(q.scales)).toEqual([Math.fround(5 / 15), Math.fround(5 / 15)]);
    const g1 = quantizeRtn(w, 2, 6, { bits: 4, groupSize: -1 });
    expect(g1).toEqual(q);
  });

  it("quantizeRtn(w, 2, 8, {groupSize: 4}) gives each group of 4 its own scale and zero", () => {
    const w = Float32Array.of(0, 3, 1, 2, -3, 0, -1, -2, 0, 30, 10, 20, 0, 0, 0, 0);
    const q = quantizeRtn(w, 2, 8, { bits: 2, groupSize: 4 });
    expect(Array.from(q.scales)).toEqual([1, 1, 10, Math.fround(Math.fround(1e-5) / 3)]);
    expect(Array.from(q.zeros)).toEqual([0, 3, 0, 0]);
    expect(Array.from(dequantize(q))).toEqual(Array.from(w));
  });

  it("quantizeRtn(w, rows, cols, {groupSize: 0}) is per tensor: one scale and zero repeated on every row", () => {
    const w = Float32Array.of(0, 1, 2, 3, -3, 0, 0, 0);
    const q = quantizeRtn(w, 2, 4, { bits: 3, groupSize: 0 });
    expect([q.groupSize, Array.from(q.scales), Array.from(q.zeros)]).toEqual([4, [Math.fround(6 / 7), Math.fround(6 / 7)], [4, 4]]);
  });

  it("quantizeRtn(w, 1, 3) with the default g128 quantizes a short row as one group", () => {
    expect(quantizeRtn(Float32Array.of(1, 2, 3), 1, 3, { bits: 4 }).groupSize).toBe(3);
  });

  it("quantizeRtn(w, rows, cols) rejects a wrong length and bits outside 2..8", () => {
    expect(() => quantizeRtn(new Float32Array(5), 2, 3, { bits: 4 })).toThrow(/5 values for a 2 x 3/);
    expect(() => quantizeRtn(new Float32Array(6), 2, 3, { bits: 9 })).toThrow(/bits 9/);
  });
});

describe("quantizeRtn: float64 oracle and fused paths", () => {
  for (const [bits, g, sym] of [[3, 64, false], [4, 128, false], [8, -1, false], [4, 32, true], [8, 128, true], [2, 16, false]] as const) {
    it(`quantizeRtn(random 32 x 256, {bits: ${bits}, groupSize: ${g}, sym: ${sym}}) matches the float64 oracle`, () => {
      const w = randomMatrix(32, 256, bits * 1000 + g), n = w.length, gs = g === -1 ? 256 : g;
      const q = quantizeRtn(w, 32, 256, { bits, groupSize: g, sym }), o = oracle(w, n, gs, bits, sym);
      for (let i = 0; i < o.scales.length; i++) expect(Math.abs(q.scales[i]! - o.scales[i]!) / o.scales[i]!).toBeLessThan(MAX_ORACLE_SCALE_REL_ERROR);
      let mismatches = 0, beyondOneStep = 0;
      const dq = dequantize(q);
      for (let i = 0; i < n; i++) {
        if (q.codes[i] !== o.codes[i]) mismatches++;
        if (Math.abs(dq[i]! - o.dq[i]!) > o.scales[(i / gs) | 0]! * (1 + 1e-6)) beyondOneStep++;
      }
      expect(mismatches).toBeLessThanOrEqual(MAX_ORACLE_CODE_MISMATCHES);
      expect(beyondOneStep).toBe(0);
    });
  }

  it("pseudoQuantize(w, ...) equals dequantize(quantizeRtn(w, ...)) bit for bit, also in place", () => {
    const w = randomMatrix(17, 96, 7);
    for (const opts of [{ bits: 4, groupSize: 32 }, { bits: 3, groupSize: -1, sym: true }, { bits: 8, groupSize: 0 }]) {
      const ref = dequantize(quantizeRtn(w, 17, 96, opts));
      expect(pseudoQuantize(w, 17, 96, opts)).toEqual(ref);
      const inPlace = w.slice();
      expect(pseudoQuantize(inPlace, 17, 96, opts, inPlace)).toBe(inPlace);
      expect(inPlace).toEqual(ref);
    }
  });

  it("pseudoQuantize(w) propagates NaN, saturates ±Infinity; quantizeRtn stores NaN as the zero point", () => {
    const w = Float32Array.of(NaN, -1.5, 0, 1.5, Infinity, -Infinity);
    expect(Array.from(pseudoQuantize(w, 1, 6, { bits: 2 }))).toEqual([NaN, -2, 0, 1, 1, -2]);
    const q = quantizeRtn(w, 1, 6, { bits: 2 });
    expect(Array.from(q.codes)).toEqual([2, 0, 2, 3, 3, 0]);
  });
});

describe("activations and KV cache", () => {
  it("quantizeActivations(x, rows, cols, bits) is asymmetric per token over the whole row", () => {
    const x = randomMatrix(5, 300, 3);
    const a = quantizeActivations(x, 5, 300, 8), w = quantizeRtn(x, 5, 300, { bits: 8, groupSize: -1 });
    expect([a.bits, a.rows, a.cols, a.scales.length]).toEqual([8, 5, 300, 5]);
    expect([a.codes, a.scales, a.zeros]).toEqual([w.codes, w.scales, w.zeros]);
    expect(pseudoQuantizeActivations(x, 5, 300, 8)).toEqual(dequantize(w));
  });

  it("quantizeActivations(x, rows, cols, bits, out) refills out's buffers when they are large enough", () => {
    const out = quantizeActivations(randomMatrix(5, 300, 4), 5, 300, 8), codes = out.codes;
    const x = randomMatrix(3, 300, 5), again = quantizeActivations(x, 3, 300, 4, out);
    expect(again).toBe(out);
    expect(again.codes).toBe(codes);
    expect([again.rows, again.bits]).toEqual([3, 4]);
    expect(again.codes.subarray(0, 900)).toEqual(quantizeActivations(x, 3, 300, 4).codes);
    expect(quantizeActivations(randomMatrix(9, 300, 6), 9, 300, 8, out)).not.toBe(out);
  });

  it("pseudoQuantizeKv(x, t, h, d, bits, g) groups head_dim by g only when d > g and g divides d", () => {
    const x = randomMatrix(2 * 3, 8, 11);
    const per = (g: number) => pseudoQuantize(x, 6, 8, { bits: 4, groupSize: g });
    expect(pseudoQuantizeKv(x, 2, 3, 8, 4, 4)).toEqual(per(4));
    expect(pseudoQuantizeKv(x, 2, 3, 8, 4, 128)).toEqual(per(-1));
    expect(pseudoQuantizeKv(x, 2, 3, 8, 4, 3)).toEqual(per(-1));
    expect(pseudoQuantizeKv(x, 2, 3, 8, 4, -1)).toEqual(per(-1));
    expect(pseudoQuantizeKv(x, 2, 3, 8, 4, 4)).not.toEqual(per(-1));
  });
});
