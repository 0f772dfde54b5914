/**
 * Issue 12, class 7: importBundle is atomic (one transaction: a failure in any table leaves the
 * store exactly as before) and never merges into an existing run, on both store runtimes.
 */
import { describe, expect, it } from "vitest";
import { BundleError, BUNDLE_TABLES, importBundle, readBundle, writeBundle, type RunRows } from "../../lib/share/bundle.ts";
import { openNodeStore } from "../../lib/store/node.ts";
import type { Store } from "../../lib/store/store.ts";
import { openWasmNodeStore } from "../../lib/store/wasm-node.ts";
import { linearStats, seedStatsRun } from "../store/fixtures.ts";


/** A store holding one finished stats run of model `m1` over two tensors; returns its run id. */
function seed(store: Store): Promise<string> {
  return seedStatsRun(store, [linearStats(0), linearStats(1)]);
}

/** The run's rows as a bundle carries them (written, then read back). */
async function bundleRows(store: Store, runId: string): Promise<RunRows> {
  return (await readBundle(await writeBundle(store, runId, "test"))).rows;
}

/** Row counts of every bundle table: what "exactly as before" is checked against. */
async function counts(store: Store): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of BUNDLE_TABLES) out[t] = Number((await store.queryRow<{ n: number }>(`SELECT count(*) AS n FROM ${t}`))!.n);
  return out;
}

/** The rows of the seeded run under a new run id (another machine's run of the same model). */
function asRun(rows: RunRows, runId: string): RunRows {
  const re = (r: Record<string, unknown>) => ("run_id" in r ? { ...r, run_id: runId } : r);
  return Object.fromEntries(BUNDLE_TABLES.map((t) => [t, rows[t].map(re)])) as RunRows;
}

describe.each([["node", () => openNodeStore()], ["wasm", () => openWasmNodeStore()]] as const)("importBundle on the %s store", (_, open) => {
  it("leaves the store exactly as before when a later table fails a NOT NULL constraint", { timeout: 60_000 }, async () => {
    const src = await open();
    const dst = await open();
    try {
      const rows = await bundleRows(src, await seed(src));
      await seed(dst);
      const before = await counts(dst);
      const bad = asRun(rows, "r-new");
      bad.channel_stats = bad.channel_stats.map((r, i) => (i === 1 ? { ...r, channels: null } : r)); // NOT NULL, in the 5th table
      await expect(importBundle(dst, bad)).rejects.toThrow();
      expect(await counts(dst)).toEqual(before);
      expect(await dst.queryRow("SELECT * FROM runs WHERE run_id = 'r-new'")).toBeNull();
    } finally {
      await src.close();
      await dst.close();
    }
  });

  it("refuses a bundle whose run_id is already in the store, merging nothing into that run", { timeout: 60_000 }, async () => {
    const store = await open();
    try {
      const runId = await seed(store);
      const rows = await bundleRows(store, runId);
      const before = await counts(store);
      const extra = { ...rows, tensor_stats: [...rows.tensor_stats, { ...rows.tensor_stats[0]!, name: "model.layers.9.mlp.up_proj.weight" }] };
      const err = await importBundle(store, extra).catch((e) => e);
      expect(err).toBeInstanceOf(BundleError);
      expect(String(err.message)).toMatch(/already in the store/);
      expect(await counts(store)).toEqual(before);
    } finally {
      await store.close();
    }
  });

  it("imports another run of a model the store already holds", { timeout: 60_000 }, async () => {
    const store = await open();
    try {
      const rows = await bundleRows(store, await seed(store));
      const before = await counts(store);
      await importBundle(store, asRun(rows, "r-other"));
      const after = await counts(store);
      expect(after.runs).toBe(before.runs + 1);
      expect(after.tensor_stats).toBe(before.tensor_stats * 2);
      expect(after.models).toBe(before.models);
    } finally {
      await store.close();
    }
  });
});
