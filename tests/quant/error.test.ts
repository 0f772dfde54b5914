/** error.ts: relative MSE / SQNR by hand, edge cases, and matrixQuantError against pseudoQuantize. */
import { describe, expect, it } from "vitest";
import { matrixQuantError, quantError } from "../../lib/quant/error.ts";
import { pseudoQuantize } from "../../lib/quant/rtn.ts";
import { mulberry32 } from "../../lib/tensor/prng.ts";

/** same float64 sums in the same order: equal up to the last bit */
const MAX_SQNR_DB_ERROR = 1e-12;

describe("quantError", () => {
  it("quantError([3, 4], [3, 3]) is relMse 1/25 and SQNR 10 log10(25) dB", () => {
    const e = quantError([3, 4], [3, 3]);
    expect(e.relMse).toBeCloseTo(0.04, 15);
    expect(Math.abs(e.sqnrDb! - 10 * Math.log10(25))).toBeLessThan(MAX_SQNR_DB_ERROR);
  });

  it("quantError(x, x) is relMse 0 and SQNR Infinity", () => {
    expect(quantError([1, -2, 0.5], [1, -2, 0.5])).toEqual({ relMse: 0, sqnrDb: Infinity });
  });

  it("quantError(zeros, xq) is null: the ratio is undefined for a zero signal", () => {
    expect(quantError([0, 0], [0, 0])).toEqual({ relMse: null, sqnrDb: null });
    expect(quantError([0, 0], [1, 0])).toEqual({ relMse: null, sqnrDb: null });
    expect(quantError([], [])).toEqual({ relMse: null, sqnrDb: null });
  });

  it("quantError(x, xq) skips pairs whose x is not finite", () => {
    expect(quantError([3, NaN, 4, Infinity], [3, 1, 3, 0])).toEqual(quantError([3, 4], [3, 3]));
    expect(() => quantError([1], [1, 2])).toThrow(RangeError);
  });
});

describe("matrixQuantError", () => {
  const rand = mulberry32(42);
  const w = Float32Array.from({ length: 24 * 200 }, () => (rand() - 0.5) * (rand() < 0.02 ? 30 : 1));
  for (const opts of [{ bits: 4 }, { bits: 4, groupSize: 40 }, { bits: 3, groupSize: -1, sym: true }, { bits: 8, groupSize: 0 }, { bits: 2, groupSize: 8 }]) {
    it(`matrixQuantError(w, 24, 200, ${JSON.stringify(opts)}) equals quantError(w, pseudoQuantize(w))`, () => {
      expect(matrixQuantError(w, 24, 200, opts)).toEqual(quantError(w, pseudoQuantize(w, 24, 200, opts)));
    });
  }

  it("matrixQuantError(w) SQNR rises with bits: about 6 dB per bit from 4 bits up", () => {
    const sqnr = [2, 3, 4, 6, 8].map((bits) => matrixQuantError(w, 24, 200, { bits, groupSize: 40 }).sqnrDb!);
    for (let i = 1; i < sqnr.length; i++) expect(sqnr[i]!).toBeGreaterThan(sqnr[i - 1]!);
    expect(sqnr[4]! - sqnr[2]!).toBeGreaterThan(4 * 5);
  });

  it("matrixQuantError(w) skips NaN like quantError and is null for an all-zero matrix", () => {
    const v = Float32Array.of(1, NaN, 2, 3);
    expect(matrixQuantError(v, 2, 2, { bits: 2 })).toEqual(quantError(v, pseudoQuantize(v, 2, 2, { bits: 2 })));
    expect(matrixQuantError(new Float32Array(8), 2, 4, { bits: 4 })).toEqual({ relMse: null, sqnrDb: null });
  });
});
