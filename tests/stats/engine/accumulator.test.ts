/** StatsAccumulator: chunks pushed to two accumulators (as two workers would) merge into the whole. */
import { describe, expect, it } from "vitest";
import { StatsAccumulator, kurtosis } from "../../../lib/stats/index.ts";
import { cosines, F32_BLOCK_SUM_REL_ERROR, relError } from "../reference.ts";

/**
 * The halves pick different shifts and cut row 1 into other blocks, so their f32 block sums round
 * differently from the whole's: each within F32_BLOCK_SUM_REL_ERROR of exact (reference.ts), so
 * at most twice that apart; kurtosis adds twice m2's error: 4 x 2 e (the Pébay merge is float64).
 */
const MAX_MERGE_REL_ERROR = 8 * F32_BLOCK_SUM_REL_ERROR;

describe("StatsAccumulator", () => {
  it("merge(state) of two halves pushed at their element offsets equals one accumulator over the whole", async () => {
    const [rows, cols] = [64, 515];
    const x = cosines(rows * cols, 11);
    const bytes = new Uint8Array(x.buffer);
    const t = { dtype: "F32" as const, shape: [rows, cols], numel: rows * cols };
    const whole = await StatsAccumulator.create(t);
    whole.push(bytes);
    const [a, b] = [await StatsAccumulator.create(t), await StatsAccumulator.create(t)];
    const cut = 4 * 1000; // splits row 1
    a.push(bytes.subarray(0, cut), 0);
    b.push(bytes.subarray(cut), 1000);
    const w = whole.state(), m = a.merge(b.state()).state();
    expect(m.moments.n).toBe(w.moments.n);
    expect(relError(m.moments.mean, w.moments.mean, 1)).toBeLessThan(MAX_MERGE_REL_ERROR);
    expect(relError(m.moments.m2, w.moments.m2)).toBeLessThan(MAX_MERGE_REL_ERROR);
    expect(relError(kurtosis(m.moments), kurtosis(w.moments))).toBeLessThan(MAX_MERGE_REL_ERROR);
    expect([m.extent, m.counts]).toEqual([w.extent, w.counts]);
    expect(m.cols).toEqual(w.cols);
    expect(m.rows).toEqual(w.rows);
    for (const acc of [whole, a, b]) acc.release();
  });
});
