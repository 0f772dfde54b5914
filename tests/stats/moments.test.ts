/** Moments: streaming add, Pébay/Chan merge and power-sum conversion against the float64 two-pass oracle. */
import { describe, expect, it } from "vitest";
import { kurtosis, Moments, variance } from "../../lib/stats/index.ts";
import { cosines, refStats, relError } from "./reference.ts";

/** float64 one-pass updates vs two-pass: a few ulps per step, growing ~sqrt(n) */
const MAX_F64_REL_ERROR = 1e-12;

describe("Moments", () => {
  it("add(x) matches the two-pass oracle: mean, population variance, Pearson kurtosis", () => {
    const x = cosines(100003, 4);
    const m = new Moments().add(x), r = refStats(x);
    expect(relError(m.mean, r.mean)).toBeLessThan(MAX_F64_REL_ERROR);
    expect(relError(Math.sqrt(variance(m)!), r.std)).toBeLessThan(MAX_F64_REL_ERROR);
    expect(relError(kurtosis(m), r.kurtosis)).toBeLessThan(MAX_F64_REL_ERROR);
  });

  it("merge(o) of two halves equals add() of the whole", () => {
    const x = cosines(5001, 9);
    const whole = new Moments().add(x);
    const merged = new Moments().add(x.subarray(0, 1234)).merge(new Moments().add(x.subarray(1234)));
    for (const k of ["mean", "m2", "m3", "m4"] as const) expect(relError(merged[k], whole[k], 1)).toBeLessThan(MAX_F64_REL_ERROR);
    expect(merged.n).toBe(5001);
    expect(new Moments().merge(whole).m4).toBe(whole.m4);
  });

  it("fromPowerSums(n, shift, S1..S4) equals the central moments for a shift far from the mean", () => {
    const x = cosines(1001, 2), shift = 3.5;
    const s = [1, 2, 3, 4].map((p) => Array.from(x).reduce((a, v) => a + (v - shift) ** p, 0));
    const m = Moments.fromPowerSums(x.length, shift, s[0]!, s[1]!, s[2]!, s[3]!), w = new Moments().add(x);
    for (const k of ["mean", "m2", "m3", "m4"] as const) expect(relError(m[k], w[k], 1)).toBeLessThan(1e-10);
  });

  it("kurtosis(m) returns null for a constant tensor, a single value and no value", () => {
    expect(kurtosis(new Moments().add([2, 2, 2]))).toBeNull();
    expect(kurtosis(new Moments().add([7]))).toBeNull();
    expect(kurtosis(new Moments())).toBeNull();
    expect(variance(new Moments())).toBeNull();
  });

  it("add(x) skips NaN and ±Inf", () => {
    const m = new Moments().add([1, NaN, 3, Infinity, -Infinity]);
    expect([m.n, m.mean, m.m2]).toEqual([2, 2, 2]);
  });
});
