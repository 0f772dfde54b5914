/** Runs the Store contract on @duckdb/node-api, plus what only a file database can show. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openNodeStore } from "../../lib/store/node.ts";
import { fetchRuns, fetchTensorStats, startRun, saveTensorStats } from "../../lib/store/queries.ts";
import { StoreError } from "../../lib/store/store.ts";
import { testStore } from "./contract.ts";
import { constantStats, linearStats } from "./fixtures.ts";

testStore("node (@duckdb/node-api)", () => openNodeStore());

describe("openNodeStore(path)", () => {
  const dirs: string[] = [];
  const tmp = async () => { const d = await mkdtemp(join(tmpdir(), "quantlens-store-")); dirs.push(d); return d; };
  afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

  it("openNodeStore(file) keeps rows across close and reopen", async () => {
    const file = join(await tmp(), "results.duckdb");
    const a = await openNodeStore(file);
    const runId = await startRun(a, { modelId: "m", kind: "stats", toolVersion: "test" });
    await saveTensorStats(a, runId, "m", linearStats(3));
    await a.close();
    const b = await openNodeStore(file); // schema applied again: idempotent
    await saveTensorStats(b, runId, "m", constantStats());
    expect((await fetchTensorStats(b, runId)).map((t) => t.name)).toEqual([linearStats(3).name, constantStats().name]);
    expect((await fetchRuns(b)).map((r) => r.run_id)).toEqual([runId]);
    await b.close();
  });

  it("exportParquetFile / importParquetFile move a table through a file path", async () => {
    const file = join(await tmp(), "tensor_stats.parquet");
    const a = await openNodeStore();
    await saveTensorStats(a, "r", null, linearStats(0));
    await a.exportParquetFile("tensor_stats", file);
    const b = await openNodeStore();
    expect(await b.importParquetFile("tensor_stats", file)).toBe(1);
    expect(await b.query("SELECT * FROM tensor_stats")).toEqual(await a.query("SELECT * FROM tensor_stats"));
    await expect(b.importParquetFile("tensor_stats", join(await tmp(), "missing.parquet"))).rejects.toThrow(StoreError);
    await a.close();
    await b.close();
  });

  it("openNodeStore(path in a missing folder) throws StoreError", async () => {
    await expect(openNodeStore(join(await tmp(), "no", "such", "dir", "x.duckdb"))).rejects.toThrow(/store: cannot open/);
  });
});
