/**
 * Issue 12, class 11: mutation fuzzing of the bundle reader on a real bundle (every table a
 * Parquet file written by the store): bytes of the Parquet footers, page headers and pages are
 * overwritten, flipped or cut. Every outcome must be a read bundle or a BundleError, in bounded
 * time and memory (a mutated count must never decode into millions of values). Seeded PRNG.
 */
import { expect, it } from "vitest";
import { BundleError, readBundle, writeBundle } from "../../lib/share/bundle.ts";
import { openWasmNodeStore } from "../../lib/store/wasm-node.ts";
import { mulberry32 } from "../../lib/tensor/prng.ts";
import { linearStats, seedStatsRun } from "../store/fixtures.ts";

/** Mutated bundles tried. */
const MUTATIONS = 400;
/** Wall-clock budget for one readBundle of a mutated bundle. */
const MAX_MS_PER_CASE = 1000;
/** Heap a single mutated bundle may add while being read (the bundle is a few KB). */
const MAX_HEAP_GROWTH = 64 * 1024 * 1024;


it("readBundle(mutated bundle) returns rows or throws BundleError, fast and bounded", { timeout: 120_000 }, async () => {
  const store = await openWasmNodeStore();
  let good: Uint8Array;
  try {
    const runId = await seedStatsRun(store, [linearStats(0), linearStats(1), linearStats(2, "mlp.up_proj")]);
    good = await writeBundle(store, runId, "fuzz");
  } finally {
    await store.close();
  }
  await readBundle(good); // the unmutated bundle reads
  const headLen = new DataView(good.buffer, good.byteOffset).getUint32(12, true);
  const dataStart = 16 + headLen; // mutate the Parquet files only: the manifest is JSON checked by zod
  const r = mulberry32(12);
  const outcomes: Record<string, number> = {};
  for (let i = 0; i < MUTATIONS; i++) {
    const b = good.slice();
    const at = () => dataStart + Math.floor(r() * (good.length - dataStart - 8));
    const kind = Math.floor(r() * 4);
    if (kind === 0) for (let k = 0, n = 1 + Math.floor(r() * 6); k < n; k++) b[at()] = Math.floor(r() * 256);
    if (kind === 1) { const p = at(); b[p] = b[p]! ^ (1 << Math.floor(r() * 8)); }
    if (kind === 2) { const p = at(); b.fill(0xff, p, Math.min(b.length, p + 1 + Math.floor(r() * 6))); }
    if (kind === 3) { const p = at(); b.set([0x95, 0x9a, 0xef, 0x3a], p); } // a large varint (a count) mid-stream
    const before = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    let outcome: string;
    try {
      await readBundle(b);
      outcome = "ok";
    } catch (e) {
      if (!(e instanceof BundleError)) throw new Error(`mutation ${i} (kind ${kind}): ${(e as Error).stack}`);
      outcome = "BundleError";
    }
    expect(performance.now() - t0, `mutation ${i}`).toBeLessThan(MAX_MS_PER_CASE);
    expect(process.memoryUsage().heapUsed - before, `mutation ${i}`).toBeLessThan(MAX_HEAP_GROWTH);
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  expect(outcomes.BundleError).toBeGreaterThan(0);
});
