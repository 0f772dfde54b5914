/** round.ts: half-to-even rounding and the f32 Qllm-Eval scale / zero / code arithmetic, by hand. */
import { describe, expect, it } from "vitest";
import {
  asymScale, asymZero, checkBits, dequantizeValue, maxCode, quantizeValue, rangeParams, roundHalfEven, SCALE_FLOOR, symScale, symZero,
} from "../../lib/quant/round.ts";

describe("roundHalfEven", () => {
  it("roundHalfEven(x) rounds ties to even, for negatives too (JS Math.round is half-up)", () => {
    const cases: Array<[number, number]> = [
      [0.5, 0], [1.5, 2], [2.5, 2], [3.5, 4], [-0.5, 0], [-1.5, -2], [-2.5, -2], [-3.5, -4],
      [0.49999999999999994, 0], [-0.49999999999999994, 0], [2.4, 2], [2.6, 3], [-2.4, -2], [-2.6, -3],
      [7, 7], [-7, -7], [2 ** 53, 2 ** 53], [-4503599627370495.5, -4503599627370496], [4503599627370495.5, 4503599627370496],
    ];
    for (const [x, r] of cases) expect(roundHalfEven(x), String(x)).toBe(r);
    expect(Math.round(-2.5)).toBe(-2); // the reason: JS rounds -2.5 up but 2.5 also up (to 3)
    expect(Math.round(2.5)).toBe(3);
  });

  it("roundHalfEven(x) passes NaN and ±Infinity through", () => {
    expect(roundHalfEven(NaN)).toBeNaN();
    expect(roundHalfEven(Infinity)).toBe(Infinity);
    expect(roundHalfEven(-Infinity)).toBe(-Infinity);
  });
});

describe("scale, zero and codes", () => {
  it("asymScale(min, max, b) floors the range at f32 1e-5 and divides by 2^b - 1 in f32", () => {
    expect(SCALE_FLOOR).toBe(Math.fround(1e-5));
    expect(asymScale(0, 3, 2)).toBe(1);
    expect(asymScale(1, 1, 4)).toBe(Math.fround(SCALE_FLOOR / 15));
    expect(asymScale(-0.1, 0.2, 8)).toBe(Math.fround(Math.fround(0.2 - -0.1) / 255));
  });

  it("asymZero(min, scale, b) is clamp(-round(min/scale), 0, 2^b - 1) with the tie to even", () => {
    expect(asymZero(-2.5, 1, 2)).toBe(2); // -round(-2.5) = 2
    expect(asymZero(-1.5, 1, 2)).toBe(2); // -round(-1.5) = 2
    expect(asymZero(-9, 1, 2)).toBe(3); // clamped to 2^b - 1
    expect(asymZero(5, 1, 2)).toBe(0); // all-positive group: clamped to 0
    expect(Object.is(asymZero(0, 1, 4), 0)).toBe(true); // not -0
  });

  it("quantizeValue / dequantizeValue: asym codes clamp to [0, 2^b-1], sym to q + 2^(b-1)", () => {
    expect(quantizeValue(1.5, 1, 2, 2, false)).toBe(3); // round(1.5) + 2 = 4 -> 3
    expect(quantizeValue(-2.5, 1, 2, 2, false)).toBe(0); // round(-2.5) + 2 = 0
    expect(quantizeValue(-3.5, 1, 8, 4, true)).toBe(4); // q = -4
    expect(quantizeValue(100, 1, 8, 4, true)).toBe(15); // q clamped to 7
    expect(quantizeValue(-100, 1, 8, 4, true)).toBe(0); // q clamped to -8
    expect(dequantizeValue(4, 8, 1)).toBe(-4);
    expect(dequantizeValue(3, 1, Math.fround(0.1))).toBe(Math.fround(2 * Math.fround(0.1)));
  });

  it("symScale(absmax, b) = max(absmax, 1e-5) / (2^(b-1) - 1) and symZero(b) = 2^(b-1)", () => {
    expect(symScale(7, 4)).toBe(1);
    expect(symScale(0, 8)).toBe(Math.fround(SCALE_FLOOR / 127));
    expect(symZero(4)).toBe(8);
    expect(maxCode(3)).toBe(7);
  });

  it("rangeParams(x, ...) skips NaN and ±Infinity, and treats a group with no finite value as zeros", () => {
    const out = new Float64Array(2);
    expect(Array.from(rangeParams([NaN, -1.5, Infinity, 1.5, -Infinity], 0, 5, 2, false, out))).toEqual([1, 2]);
    expect(Array.from(rangeParams([NaN, NaN], 0, 2, 4, false, out))).toEqual([Math.fround(SCALE_FLOOR / 15), 0]);
    expect(Array.from(rangeParams([3, -7, 2], 0, 3, 4, true, out))).toEqual([1, 8]);
  });

  it("checkBits(b) accepts 2..8 only", () => {
    for (const b of [2, 3, 4, 5, 6, 7, 8]) expect(() => checkBits(b)).not.toThrow();
    for (const b of [0, 1, 9, 16, 4.5, NaN]) expect(() => checkBits(b)).toThrow(RangeError);
  });
});
