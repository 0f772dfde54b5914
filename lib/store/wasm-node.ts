/**
 * The wasm store in Node (tests, scripts): duckdb-wasm's blocking Node binding, with the .wasm
 * read from node_modules/@duckdb/duckdb-wasm/dist, so the browser's engine runs the same
 * contract suite without a browser, a Worker or the network. Node only: never import from app/.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as duckdb from "@duckdb/duckdb-wasm/blocking";
import { createWasmStore, type ArrowTable } from "./wasm.ts";
import type { Store } from "./store.ts";

const require = createRequire(import.meta.url);

/** Opens an in-memory duckdb-wasm store in this Node process. */
export async function openWasmNodeStore(): Promise<Store> {
  const dist = dirname(require.resolve("@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm"));
  const bundles: duckdb.DuckDBBundles = {
    mvp: { mainModule: join(dist, "duckdb-mvp.wasm"), mainWorker: "" },
    eh: { mainModule: join(dist, "duckdb-eh.wasm"), mainWorker: "" },
  };
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate(() => {});
  db.open({});
  const conn = db.connect();
  return createWasmStore({
    async query(text, params) {
      if (params.length === 0) return conn.query(text) as unknown as ArrowTable;
      const stmt = conn.prepare(text);
      try {
        return stmt.query(...params) as unknown as ArrowTable;
      } finally {
        stmt.close();
      }
    },
    registerText: async (name, text) => { db.registerFileText(name, text); },
    dropFile: async (name) => { db.dropFile(name); },
    async close() {
      try {
        conn.close();
      } finally {
        db.reset();
      }
    },
  });
}
