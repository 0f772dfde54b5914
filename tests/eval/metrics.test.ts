/** Per-position metrics in float64, checked by hand. */
import { describe, expect, it } from "vitest";
import { EvalSums, ReferenceRow, argmax, klDivergence, klFromReference, logSumExp, nll } from "../../lib/eval/metrics.ts";

/** float64 metrics of float32 logits: agreement with closed forms to about 1e-12 */
const MAX_METRIC_ERROR = 1e-12;

describe("metrics", () => {
  it("logSumExp(logits) is max-shifted: no overflow at 1000", () => {
    expect(logSumExp(Float32Array.of(1000, 1000))).toBeCloseTo(1000 + Math.LN2, 10);
  });

  it("nll(logits, target) of two equal logits is log 2", () => {
    expect(Math.abs(nll(Float32Array.of(0, 0), 1) - Math.LN2)).toBeLessThan(MAX_METRIC_ERROR);
  });

  it("klDivergence(p, q) matches the closed form of two Bernoulli distributions and is 0 for p = q", () => {
    const ref = Float32Array.of(0, Math.log(3)); // p = (1/4, 3/4)
    const q = Float32Array.of(0, 0); // q = (1/2, 1/2)
    const expected = 0.25 * Math.log(0.25 / 0.5) + 0.75 * Math.log(0.75 / 0.5);
    expect(Math.abs(klDivergence(ref, q) - expected)).toBeLessThan(1e-7); // log 3 rounded to f32
    expect(klDivergence(ref, ref)).toBe(0);
  });

  it("klFromReference(row, q, lseQ) equals klDivergence bit for bit, masked (-Infinity) logits included, and the row resizes", () => {
    const row = new ReferenceRow(3);
    for (const n of [5, 1000, 32000]) {
      const ref = Float32Array.from({ length: n }, (_, i) => (i % 97 === 3 ? -Infinity : 4 * Math.sin(i * 1.3)));
      const q = Float32Array.from({ length: n }, (_, i) => (i % 89 === 5 ? -Infinity : 4 * Math.sin(i * 1.3) + 0.05 * Math.cos(i)));
      const lr = logSumExp(ref), lq = logSumExp(q);
      const want = klDivergence(ref, q, lr, lq);
      expect(Object.is(klFromReference(row.set(ref, lr), q, lq), want), `n=${n}`).toBe(true);
      expect(klFromReference(row.set(ref, lr), ref, lr)).toBe(klDivergence(ref, ref, lr, lr));
    }
  });

  it("argmax(logits) takes the first index on ties", () => {
    expect(argmax(Float32Array.of(1, 3, 3, 2))).toBe(1);
  });

  it("EvalSums.result() gives null metrics for no token and merges sums", () => {
    expect(new EvalSums().result()).toEqual({ ppl: null, mean_nll: null, kl: null, top1_agreement: null, tokens: 0 });
    const a = Object.assign(new EvalSums(), { tokens: 2, nll: 2, kl: 0.2, agree: 1 });
    const b = Object.assign(new EvalSums(), { tokens: 2, nll: 0, kl: 0, agree: 2 });
    const r = a.merge(b).result();
    expect(r).toEqual({ ppl: Math.exp(0.5), mean_nll: 0.5, kl: 0.05, top1_agreement: 0.75, tokens: 4 });
  });
});
