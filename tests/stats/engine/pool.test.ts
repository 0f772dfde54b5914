/** StatsPool over node worker_threads: the same TensorStats as computeTensorStats on one thread. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeTensorStats } from "../../../lib/stats/index.ts";
import type { StatsPool } from "../../../lib/stats/engine/pool.ts";
import { createNodeStatsPool } from "../../../lib/stats/engine/pool-node.ts";
import { f32Source, memorySource, memoryTensor } from "../../../lib/formats/memory-tensor-source.ts";
import { bf16Bytes, cosines, F32_BLOCK_SUM_REL_ERROR, relError } from "../reference.ts";

/**
 * Each worker picks its own pilot shift, so its f32 block sums round differently from the single
 * thread's: both are within F32_BLOCK_SUM_REL_ERROR of the exact sums (reference.ts), so they
 * differ by at most twice that, and kurtosis combines S4's and twice S2's error: 4 x 2 e.
 */
const MAX_POOL_REL_ERROR = 8 * F32_BLOCK_SUM_REL_ERROR;

let pool: StatsPool;
beforeAll(() => { pool = createNodeStatsPool(2); });
afterAll(async () => { await pool.close(); });

describe("StatsPool.computeTensorStats(source, t)", () => {
  for (const retainBytes of [undefined, 0]) {
    it(`equals the single-thread result on a [rows, cols] tensor with NaN (${retainBytes === 0 ? "re-read" : "retained"} pass 2)`, async () => {
      const [rows, cols] = [257, 1001];
      const x = cosines(rows * cols, 3);
      x[5000] = NaN;
      x[7] = 40;
      const { source, t } = f32Source(x, [rows, cols], 40_000);
      const one = await computeTensorStats(source, t);
      const many = await computeTensorStats(source, t, { retainBytes, pool });
      for (const k of ["mean", "std", "kurtosis"] as const) expect(relError(many[k], one[k], 1)).toBeLessThan(MAX_POOL_REL_ERROR);
      const exact = (s: typeof one) => [s.count, s.min, s.max, s.nan_count, s.zero_count, s.outlier_fraction, s.histogram, s.channels];
      expect(exact(many)).toEqual(exact(one));
    });
  }

  it("equals the single-thread result on a bf16 tensor (key histograms summed across workers)", async () => {
    const [rows, cols] = [64, 999];
    const bytes = bf16Bytes(cosines(rows * cols, 4));
    const t = memoryTensor("w", "BF16", [rows, cols], bytes.length);
    const source = memorySource(new Map([["w", bytes]]), [t], 20_000);
    const [one, many] = [await computeTensorStats(source, t), await pool.computeTensorStats(source, t)];
    expect(many).toEqual(one);
  });

  it("runs concurrent jobs on the same workers without mixing their chunks", async () => {
    const a = f32Source(cosines(300_000, 1), [300, 1000], 40_000), b = f32Source(cosines(200_000, 2), [200, 1000], 40_000);
    const [pa, pb] = await Promise.all([pool.computeTensorStats(a.source, a.t), pool.computeTensorStats(b.source, b.t)]);
    const [sa, sb] = [await computeTensorStats(a.source, a.t), await computeTensorStats(b.source, b.t)];
    expect([pa.count, pa.histogram, pb.count, pb.histogram]).toEqual([sa.count, sa.histogram, sb.count, sb.histogram]);
    expect(relError(pa.std, sa.std)).toBeLessThan(MAX_POOL_REL_ERROR);
    expect(relError(pb.std, sb.std)).toBeLessThan(MAX_POOL_REL_ERROR);
  });

  it("rejects with the worker's message when a chunk is not whole elements", async () => {
    const { source, t } = f32Source(cosines(100));
    const bad = { ...source, async *readRaw() { yield new Uint8Array(3); } };
    await expect(pool.computeTensorStats(bad, t)).rejects.toThrow(/not whole F32 elements/);
  });
});
