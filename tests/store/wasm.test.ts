/** Runs the Store contract on duckdb-wasm (Node blocking binding), and checks Parquet moves between runtimes. */
import { describe, expect, it } from "vitest";
import { openNodeStore } from "../../lib/store/node.ts";
import { fetchTensorStats, saveTensorStats } from "../../lib/store/queries.ts";
import { openWasmNodeStore } from "../../lib/store/wasm-node.ts";
import { testStore } from "./contract.ts";
import { emptyStats, linearStats } from "./fixtures.ts";

testStore("wasm (@duckdb/duckdb-wasm)", () => openWasmNodeStore());

describe("Parquet between runtimes", () => {
  it("a wasm export imports into the node store and back with equal rows", async () => {
    const wasm = await openWasmNodeStore();
    const node = await openNodeStore();
    for (const t of [linearStats(0), emptyStats()]) await saveTensorStats(wasm, "r", "m", t);
    for (const table of ["tensor_stats", "channel_stats"] as const) await node.importParquet(table, await wasm.exportParquet(table));
    expect(await fetchTensorStats(node, "r")).toEqual(await fetchTensorStats(wasm, "r"));
    const back = await openWasmNodeStore();
    for (const table of ["tensor_stats", "channel_stats"] as const) await back.importParquet(table, await node.exportParquet(table));
    const all = "SELECT * FROM tensor_stats ORDER BY ALL";
    expect(await back.query(all)).toEqual(await node.query(all));
    for (const s of [wasm, node, back]) await s.close();
  });
});
