/**
 * The Store on @duckdb/duckdb-wasm. createWasmStore works on any engine that runs a bound
 * statement and returns an Arrow table: the browser's AsyncDuckDB (openWasmStore, below) or
 * the Node blocking binding (wasm-node.ts, for tests and scripts). Parquet goes through
 * parquet.ts because the wasm parquet extension would be fetched from the network.
 */
import * as duckdb from "@duckdb/duckdb-wasm";
import { csvText, insertFromCsvSql } from "./bulk-csv.ts";
import { exportSelect, readParquet, writeParquet } from "./parquet.ts";
import { toPlain } from "./plain.ts";
import { SCHEMA_SQL } from "./schema.ts";
import { createStore, type Driver, type Row, type Store } from "./store.ts";

/** The Arrow table surface the store reads (duckdb-wasm's apache-arrow Table). */
export interface ArrowTable {
  schema: { fields: Array<{ name: string; type: { toString(): string; scale?: number } }> };
  numRows: number;
  getChildAt(i: number): { get(row: number): unknown } | null;
}

/** What either duckdb-wasm binding offers: a bound statement in, an Arrow table out. */
export interface WasmEngine {
  query(text: string, params: unknown[]): Promise<ArrowTable>;
  /** registers / drops a text file in duckdb-wasm's virtual file system (the bulk CSV path) */
  registerText?(name: string, text: string): Promise<void>;
  dropFile?(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Settings that keep duckdb-wasm offline: without them an unknown function waits on a download. */
export const OFFLINE_SETTINGS = ["SET autoinstall_known_extensions = false", "SET autoload_known_extensions = false"];

/** A 128-bit two's-complement decimal (four little-endian u32 words) → number. */
function decimalToNumber(words: Uint32Array, scale: number): number {
  let big = 0n;
  for (let i = words.length - 1; i >= 0; i--) big = (big << 32n) | BigInt(words[i]);
  if (big >= 1n << 127n) big -= 1n << 128n;
  return Number(big) / 10 ** scale;
}

/** Arrow table → plain rows: timestamps and dates (epoch ms) → ISO strings, decimals → numbers. */
function arrowToRows(table: ArrowTable): Row[] {
  const fields = table.schema.fields.map((f, i) => ({ f, col: table.getChildAt(i), kind: String(f.type).split("<")[0] }));
  const rows: Row[] = [];
  for (let r = 0; r < table.numRows; r++) {
    const row: Row = {};
    for (const { f, col, kind } of fields) {
      const v = col?.get(r) ?? null;
      if (v === null) row[f.name] = null;
      else if (kind.startsWith("Timestamp") || kind.startsWith("Date")) row[f.name] = new Date(Number(v)).toISOString();
      else if (kind.startsWith("Decimal") && v instanceof Uint32Array) row[f.name] = decimalToNumber(v, f.type.scale ?? 0);
      else row[f.name] = toPlain(v);
    }
    rows.push(row);
  }
  return rows;
}

/** Parameters as duckdb-wasm serializes them: no bigint, no Date. */
function wasmParam(v: unknown): unknown {
  if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  return v ?? null;
}

let bulkFiles = 0;

/** A Store over a wasm engine; applies the offline settings and the schema. */
export async function createWasmStore(engine: WasmEngine): Promise<Store> {
  const run = async (text: string, params: unknown[]) => arrowToRows(await engine.query(text, params.map(wasmParam)));
  const driver: Driver = {
    runtime: "wasm",
    run,
    exportParquet: async (table) => writeParquet(table, await run(exportSelect(table), [])),
    bulkInsert: engine.registerText && engine.dropFile ? async (table, defs, rows, ignore) => {
      const file = `quantlens-bulk-${++bulkFiles}.csv`;
      await engine.registerText!(file, csvText(rows));
      try {
        await run(insertFromCsvSql(table, defs, file, ignore), []);
      } finally {
        await engine.dropFile!(file);
      }
    } : undefined,
    async importParquet(table, data) {
      const rows = await readParquet(data);
      await run("BEGIN TRANSACTION", []);
      try {
        const n = await store.insert(table, rows);
        await run("COMMIT", []);
        return n;
      } catch (e) {
        await run("ROLLBACK", []);
        throw e;
      }
    },
    close: () => engine.close(),
  };
  const store = createStore(driver);
  try {
    for (const s of OFFLINE_SETTINGS) await store.exec(s);
    await store.exec(SCHEMA_SQL);
  } catch (e) {
    await store.close().catch(() => undefined);
    throw e;
  }
  return store;
}

/** Where the browser finds duckdb-wasm's files: copy them from node_modules/@duckdb/duckdb-wasm/dist to public/duckdb/. */
export const PUBLIC_BUNDLES: duckdb.DuckDBBundles = {
  mvp: { mainModule: "/duckdb/duckdb-mvp.wasm", mainWorker: "/duckdb/duckdb-browser-mvp.worker.js" },
  eh: { mainModule: "/duckdb/duckdb-eh.wasm", mainWorker: "/duckdb/duckdb-browser-eh.worker.js" },
};

export interface WasmStoreOptions {
  /** bundle URLs served by the app; default PUBLIC_BUNDLES */
  bundles?: duckdb.DuckDBBundles;
  logger?: duckdb.Logger;
  /** database file, e.g. "opfs://quantlens.duckdb" (origin private file system); default in memory */
  path?: string;
}

/** Opens a duckdb-wasm store in the browser (AsyncDuckDB in a Web Worker), in memory or on `path`. */
export async function openWasmStore(opts: WasmStoreOptions = {}): Promise<Store> {
  const bundle = await duckdb.selectBundle(opts.bundles ?? PUBLIC_BUNDLES);
  const worker = new Worker(bundle.mainWorker!);
  const db = new duckdb.AsyncDuckDB(opts.logger ?? new duckdb.VoidLogger(), worker);
  try {
    await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
    await db.open(opts.path ? { path: opts.path, accessMode: duckdb.DuckDBAccessMode.READ_WRITE } : {});
  } catch (e) {
    // a file another tab holds, or no OPFS: free the worker before the caller falls back
    await db.terminate().catch(() => undefined);
    worker.terminate();
    throw e;
  }
  const conn = await db.connect();
  return createWasmStore({
    async query(text, params) {
      if (params.length === 0) return (await conn.query(text)) as unknown as ArrowTable;
      const stmt = await conn.prepare(text);
      try {
        return (await stmt.query(...params)) as unknown as ArrowTable;
      } finally {
        await stmt.close();
      }
    },
    registerText: (name, text) => db.registerFileText(name, text),
    dropFile: async (name) => { await db.dropFile(name); },
    async close() {
      try {
        await conn.close();
      } finally {
        await db.terminate();
        worker.terminate();
      }
    },
  });
}
