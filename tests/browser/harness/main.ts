/**
 * Browser harness page: runs the statistics in a Web Worker and the duckdb-wasm Store in
 * the page, then leaves the outcome on `window.__result` for the test to read.
 */
import { openWasmStore } from "../../../lib/store/wasm.ts";
import { fetchTensorStats, saveTensorStats, startRun, finishRun, fetchRuns } from "../../../lib/store/queries.ts";
import type { TensorStats } from "../../../lib/stats/types.ts";
import { createBrowserStatsPool } from "../../../lib/stats/engine/pool-browser.ts";
import { computeTensorStats } from "../../../lib/stats/index.ts";
import { openModel } from "../../../lib/formats/open.ts";

/** The same statistics through a pool of two Web Workers (chunks dealt round-robin, states merged). */
async function statsInPool(url: string, name: string): Promise<TensorStats[]> {
  const file = new File([await (await fetch(url)).blob()], name);
  const source = await openModel(file);
  const pool = createBrowserStatsPool("./pool-worker.js", 2);
  try {
    const out = [];
    for (const t of source.tensors) out.push(await computeTensorStats(source, t, { pool, chunkBytes: 8192 }));
    return out;
  } finally {
    await pool.close();
    await source.close();
  }
}

declare global { interface Window { __result?: unknown } }

function statsInWorker(url: string, name: string): Promise<TensorStats[]> {
  return new Promise((resolve, reject) => {
    const w = new Worker("./stats-worker.js", { type: "module" });
    w.onmessage = (e) => (e.data.ok ? resolve(e.data.stats) : reject(new Error(e.data.error)));
    w.onerror = (e) => reject(new Error(e.message));
    w.postMessage({ url, name });
  });
}

async function run() {
  const params = new URL(location.href).searchParams;
  const stats = await statsInWorker(params.get("model")!, params.get("name")!);
  const poolStats = await statsInPool(params.get("model")!, params.get("name")!);
  const origin = location.origin;
  const bundles = {
    mvp: { mainModule: `${origin}/duckdb/duckdb-mvp.wasm`, mainWorker: `${origin}/duckdb/duckdb-browser-mvp.worker.js` },
    eh: { mainModule: `${origin}/duckdb/duckdb-eh.wasm`, mainWorker: `${origin}/duckdb/duckdb-browser-eh.worker.js` },
  };
  const store = await openWasmStore({ bundles });
  const runId = await startRun(store, { modelId: "m", kind: "stats", toolVersion: "test" });
  for (const s of stats) await saveTensorStats(store, runId, "m", s);
  await finishRun(store, runId, "done");
  const runs = await fetchRuns(store);
  const stored = await fetchTensorStats(store, runId);
  const parquet = await store.exportParquet("tensor_stats");
  const other = await openWasmStore({ bundles });
  const imported = await other.importParquet("tensor_stats", parquet);
  await other.close();
  await store.close();
  return { stats, poolStats, stored, runs, imported, crossOriginIsolated: self.crossOriginIsolated };
}

run().then((r) => (window.__result = { ok: true, ...r }), (e) => (window.__result = { ok: false, error: String(e?.stack ?? e) }));
