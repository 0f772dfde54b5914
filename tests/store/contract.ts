/**
 * The Store contract, run once per implementation (duckdb-wasm's testBindings pattern):
 * tests/store/node.test.ts and tests/store/wasm.test.ts call testStore with their opener.
 */
import { BULK_MIN_ROWS } from "../../lib/store/bulk-csv.ts";
import { afterEach, describe, expect, it } from "vitest";
import { fetchLayerStats, fetchRuns, fetchTensorStats, finishRun, saveModel, saveTensors, saveTensorStats, startRun } from "../../lib/store/queries.ts";
import { sql, StoreError, type Store, type TableName } from "../../lib/store/store.ts";
import { TABLE_NAMES } from "../../lib/store/tables.ts";
import { constantStats, emptyStats, inventory, linearStats } from "./fixtures.ts";

const HOSTILE = `it's"; DROP TABLE tensors; --'; DROP TABLE runs; --`;
const BIG = 2 ** 40 + 3; // above 2^31, still a safe integer
const HUGE = 2n ** 60n + 1n; // above 2^53: stays a bigint

/** Registers the contract suite for one Store implementation. */
export function testStore(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    const opened: Store[] = [];
    const fresh = async () => { const s = await open(); opened.push(s); return s; };
    afterEach(async () => { for (const s of opened.splice(0)) await s.close(); });

    it("open() applies the schema: every table exists", async () => {
      const s = await fresh();
      const rows = await s.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables ORDER BY 1");
      expect(rows.map((r) => r.table_name)).toEqual([...TABLE_NAMES].sort());
    });

    it("insert(table, rows) then query round-trips every column type", async () => {
      const s = await fresh();
      await s.insert("tensors", [{ model_id: "m", name: "t", dtype: "F32", shape: [2, 2 ** 33], numel: BIG, layer: null, byte_length: HUGE }]);
      await s.insert("channel_stats", [{ run_id: "r", name: "t", axis: "col", channels: 3, bucket_size: 1, absmax: [1.5, -0, 1e-300, Infinity, NaN], top: [[0, 1.5]], median: -0 }]);
      await s.insert("runs", [{ run_id: "r", kind: "stats", status: "done", started_at: "2026-01-02T03:04:05.678Z", params: { a: [1, "x"], b: null } }]);
      await s.insert("evidence_results", [{ row_id: "e1", source: "paper", is_moe: true, is_chat: false, w_bits: 4, value: 6.25 }]);
      expect(await s.queryRow("SELECT shape, numel, layer, byte_length FROM tensors")).toEqual({ shape: [2, 2 ** 33], numel: BIG, layer: null, byte_length: HUGE });
      const c = await s.queryRow<{ absmax: number[]; top: string; median: number }>("SELECT absmax, top, median FROM channel_stats");
      expect(c!.absmax).toEqual([1.5, -0, 1e-300, Infinity, NaN]);
      expect(Object.is(c!.median, -0)).toBe(true);
      expect(JSON.parse(c!.top)).toEqual([[0, 1.5]]);
      const r = await s.queryRow<{ started_at: string; params: string; finished_at: null }>("SELECT started_at, params, finished_at FROM runs");
      expect(r).toEqual({ started_at: "2026-01-02T03:04:05.678Z", params: JSON.stringify({ a: [1, "x"], b: null }), finished_at: null });
      expect(await s.queryRow("SELECT is_moe, is_chat, w_bits, value, a_bits FROM evidence_results")).toEqual({ is_moe: true, is_chat: false, w_bits: 4, value: 6.25, a_bits: null });
    });

    it("insert keeps every bit of a double (duckdb-wasm parses bound numbers with a lossy JSON reader)", async () => {
      const s = await fresh();
      const values = [-1.2033039331436157, 0.1 + 0.2, 1 / 3, 5e-324, 1.7976931348623157e308, -0.022960439672715438];
      await s.insert("tensor_stats", values.map((v, i) => ({ run_id: "r", model_id: "m", name: `t${i}`, dtype: "F32", shape: [1], numel: 1, count: 1, nan_count: 0, inf_count: 0, zero_count: 0, min: v, mean: v })));
      const rows = await s.query<{ min: number; mean: number }>("SELECT min, mean FROM tensor_stats ORDER BY name");
      expect(rows.map((r) => r.min)).toEqual(values);
      expect(rows.map((r) => r.mean)).toEqual(values);
    });

    it("a batch of BULK_MIN_ROWS or more (duckdb-wasm's CSV path) round-trips every column type like one row", async () => {
      const s = await fresh();
      const n = BULK_MIN_ROWS + 3;
      const odd = ['q"uote', "comma, here", "new\nline", "\\N", "", "é ✓"];
      await s.insert("channel_stats", Array.from({ length: n }, (_, i) => ({
        run_id: "r", model_id: i % 2 ? null : odd[i % odd.length], name: `t${i}`, axis: i % 2 ? "col" : "row", channels: i, bucket_size: 1,
        absmax: [1.5, -0, 1e-300, -1.2033039331436157, Infinity, NaN], top: [[i, 0.1 + 0.2]], median: i % 3 ? -0 : null,
      })));
      await s.insert("runs", Array.from({ length: n }, (_, i) => ({ run_id: `r${i}`, kind: "stats", status: "done", started_at: "2026-01-02T03:04:05.678Z", params: { a: [i, odd[i % odd.length]] } })));
      await s.insert("evidence_results", Array.from({ length: n }, (_, i) => ({ row_id: `e${i}`, source: odd[i % odd.length], is_moe: i % 2 === 0, w_bits: 1.1 * i, value: 1 / (i + 3) })));
      const c = await s.query<{ model_id: string | null; absmax: number[]; top: string; median: number | null; channels: number }>("SELECT model_id, absmax, top, median, channels FROM channel_stats ORDER BY channels");
      expect(c).toHaveLength(n);
      c.forEach((r, i) => {
        expect(r.model_id).toBe(i % 2 ? null : odd[i % odd.length]);
        expect(r.absmax).toEqual([1.5, -0, 1e-300, -1.2033039331436157, Infinity, NaN]);
        expect(JSON.parse(r.top)).toEqual([[i, 0.1 + 0.2]]);
        if (i % 3) expect(Object.is(r.median, -0)).toBe(true); else expect(r.median).toBeNull();
      });
      const runs = await s.query<{ run_id: string; started_at: string; params: string }>("SELECT run_id, started_at, params FROM runs ORDER BY CAST(substr(run_id, 2) AS INTEGER)");
      runs.forEach((r, i) => expect(r).toEqual({ run_id: `r${i}`, started_at: "2026-01-02T03:04:05.678Z", params: JSON.stringify({ a: [i, odd[i % odd.length]] }) }));
      const ev = await s.query<{ source: string; is_moe: boolean; w_bits: number; value: number }>("SELECT source, is_moe, w_bits, value FROM evidence_results ORDER BY CAST(substr(row_id, 2) AS INTEGER)");
      ev.forEach((r, i) => expect(r).toEqual({ source: odd[i % odd.length], is_moe: i % 2 === 0, w_bits: 1.1 * i, value: 1 / (i + 3) }));
      // OR IGNORE keeps the first row on the long path too
      await s.insert("runs", Array.from({ length: n }, (_, i) => ({ run_id: `r${i}`, kind: "eval", status: "failed" })), { onConflict: "ignore" });
      expect(await s.queryRow("SELECT CAST(count(*) AS INTEGER) AS n FROM runs WHERE kind = 'stats'")).toEqual({ n });
    });

    it("insert(table, asyncBatches) appends every batch and returns the count", async () => {
      const s = await fresh();
      async function* batches() { for (let b = 0; b < 3; b++) yield Array.from({ length: 250 }, (_, i) => ({ run_id: "r", spec: `W${b}`, metric: `m${i}`, value: i / 7 })); }
      expect(await s.insert("run_results", batches())).toBe(750);
      expect(await s.queryRow("SELECT CAST(count(*) AS INTEGER) AS n, sum(value) AS v FROM run_results")).toEqual({ n: 750, v: expect.closeTo(3 * (249 * 250) / 2 / 7, 9) });
    });

    it("query(sql, params) binds values: quotes and '; DROP TABLE stay a value", async () => {
      const s = await fresh();
      await s.insert("tensors", [{ model_id: HOSTILE, name: HOSTILE, dtype: "F32", shape: [1], numel: 1 }]);
      expect(await s.query("SELECT name FROM tensors WHERE model_id = ?", [HOSTILE])).toEqual([{ name: HOSTILE }]);
      expect(await s.query(sql`SELECT ${HOSTILE} AS v, ${BIG} + 1 AS n`)).toEqual([{ v: HOSTILE, n: BIG + 1 }]);
      expect((await s.query("SELECT table_name FROM information_schema.tables")).length).toBe(TABLE_NAMES.length);
    });

    it("insert rejects an unknown table or column with StoreError and writes nothing", async () => {
      const s = await fresh();
      await expect(s.insert("tensors; DROP TABLE runs" as TableName, [{ a: 1 }])).rejects.toThrow(StoreError);
      await expect(s.insert("tensors", [{ model_id: "m", name: "t", "dtype) VALUES (1); --": 1 }])).rejects.toThrow(/unknown column/);
      await expect(s.exportParquet("nope" as TableName)).rejects.toThrow(/unknown table "nope"/);
      expect(await s.query("SELECT * FROM tensors")).toEqual([]);
    });

    it("query on a missing table throws StoreError naming the query", async () => {
      const s = await fresh();
      await expect(s.query("SELECT * FROM no_such_table")).rejects.toThrow(/store: query failed \(SELECT \* FROM no_such_table\)/);
      await expect(s.insert("runs", [{ run_id: "r", kind: "stats", status: "bogus" }])).rejects.toThrow(/insert into runs failed/);
    });

    it("saveTensorStats then fetchTensorStats returns the input TensorStats", async () => {
      const s = await fresh();
      const runId = await startRun(s, { modelId: "m", kind: "stats", toolVersion: "test" });
      const input = [linearStats(0), linearStats(1, "mlp.down_proj", 60), constantStats(), emptyStats()];
      for (const t of input) await saveTensorStats(s, runId, "m", t);
      const sorted = [...input].sort((a, b) => (a.name < b.name ? -1 : 1));
      expect(await fetchTensorStats(s, runId)).toEqual(sorted);
      expect(await fetchTensorStats(s, "other-run")).toEqual([]);
    });

    it("a run that fails halfway keeps the tensors it finished", async () => {
      const s = await fresh();
      await saveModel(s, "m", { format: "safetensors", name: "tiny", tensors: inventory() });
      await saveModel(s, "m", { format: "safetensors", name: "tiny", tensors: inventory() }); // idempotent
      await saveTensors(s, "m", inventory());
      const runId = await startRun(s, { modelId: "m", kind: "stats", toolVersion: "test", params: { model: "tiny" } });
      await saveTensorStats(s, runId, "m", linearStats(0));
      await saveTensorStats(s, runId, "m", linearStats(1));
      await expect(saveTensorStats(s, runId, "m", linearStats(0))).rejects.toThrow(/saveTensorStats\(.*model\.layers\.0/);
      await finishRun(s, runId, "failed");
      expect((await fetchTensorStats(s, runId)).map((t) => t.name)).toEqual([linearStats(0).name, linearStats(1).name]);
      const [run] = await fetchRuns(s, "m");
      expect(run).toMatchObject({ run_id: runId, status: "failed", tensors: 2, params: { model: "tiny" }, kind: "stats" });
      expect(run.finished_at).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(await s.queryRow("SELECT CAST(count(*) AS INTEGER) AS n FROM tensors WHERE layer IS NOT NULL")).toEqual({ n: 2 });
    });

    it("fetchLayerStats(store, runId, metric) gives one cell per layer and module", async () => {
      const s = await fresh();
      const runId = await startRun(s, { modelId: null, kind: "stats", toolVersion: "test" });
      for (const t of [linearStats(1, "mlp.down_proj", 60), linearStats(0), constantStats()]) await saveTensorStats(s, runId, null, t);
      expect(await fetchLayerStats(s, runId, "absmax")).toEqual([
        { name: "model.layers.0.self_attn.q_proj.weight", layer: 0, module: "q", value: 4.5 },
        { name: "model.layers.1.mlp.down_proj.weight", layer: 1, module: "down", value: 60 },
      ]);
      await expect(fetchLayerStats(s, runId, "name; DROP TABLE runs" as "absmax")).rejects.toThrow(/unknown metric/);
    });

    it("exportParquet then importParquet into a fresh store gives equal rows", async () => {
      const a = await fresh();
      await saveModel(a, "m", { format: "gguf", name: HOSTILE, tensors: inventory(), config: { architecture: "llama", nLayers: 2 } });
      await saveTensors(a, "m", inventory());
      const runId = await startRun(a, { modelId: "m", kind: "stats", toolVersion: "test", params: { x: 1 } });
      for (const t of [linearStats(0), constantStats(), emptyStats()]) await saveTensorStats(a, runId, "m", t);
      await finishRun(a, runId, "done");
      const b = await fresh();
      for (const table of ["models", "tensors", "runs", "tensor_stats", "channel_stats", "reports"] as const) {
        const n = await b.importParquet(table, await a.exportParquet(table));
        const all = `SELECT * FROM ${table} ORDER BY ALL`;
        expect(await b.query(all), table).toEqual(await a.query(all));
        expect(n).toBe((await a.query(all)).length);
      }
      expect(await fetchTensorStats(b, runId)).toEqual(await fetchTensorStats(a, runId));
    });

    it("importParquet(random bytes) throws StoreError and leaves existing rows intact", async () => {
      const s = await fresh();
      await saveTensorStats(s, "r", null, linearStats(0));
      const noise = Uint8Array.from({ length: 512 }, (_, i) => (i * 7919 + 13) & 0xff);
      await expect(s.importParquet("tensor_stats", noise)).rejects.toThrow(StoreError);
      await expect(s.importParquet("tensor_stats", new Uint8Array(0))).rejects.toThrow(/import of Parquet into tensor_stats failed/);
      expect(await fetchTensorStats(s, "r")).toEqual([linearStats(0)]);
    });
  });
}
