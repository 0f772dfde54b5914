/** The Store on @duckdb/node-api: an in-memory or .duckdb file database, schema applied on open. */
import { randomUUID } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from "@duckdb/node-api";
import { rowToPlain } from "./plain.ts";
import { checkDuckDbFile, NODE_OFFLINE_CONFIG, openErrorOf } from "./node-open.ts";
import { SCHEMA_SQL } from "./schema.ts";
import { createStore, checkTable, wrap, type Driver, type Store, type TableName } from "./store.ts";

/** The Node store adds file-path Parquet transfer to the Store interface. */
export interface NodeStore extends Store {
  exportParquetFile(table: TableName, path: string): Promise<void>;
  importParquetFile(table: TableName, path: string): Promise<number>;
}

/** A path as a SQL string literal (COPY and read_parquet take no bound parameters). */
const literal = (path: string) => `'${path.replaceAll("'", "''")}'`;

/** JS values the node-api binds directly; Dates and bigints outside BIGINT become text. */
function bindable(v: unknown): DuckDBValue {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return v.toISOString();
  return v as DuckDBValue;
}

/** Opens (creating if needed) a DuckDB database at `path` and applies the schema idempotently. */
export async function openNodeStore(path = ":memory:"): Promise<NodeStore> {
  let instance: DuckDBInstance;
  let conn: DuckDBConnection;
  checkDuckDbFile(path);
  try {
    instance = await DuckDBInstance.create(path, NODE_OFFLINE_CONFIG);
    conn = await instance.connect();
  } catch (e) {
    throw openErrorOf(path, e);
  }
  // one connection, one statement at a time: keeps transactions and inserts in call order
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const next = queue.then(f, f);
    queue = next.catch(() => undefined);
    return next;
  };
  const run = (text: string, params: unknown[]) =>
    serial(async () => {
      const reader = await conn.runAndReadAll(text, params.map(bindable));
      return reader.getRowObjectsJS().map((r) => rowToPlain(r as Record<string, unknown>));
    });
  const exportFile = (table: TableName, file: string) => run(`COPY (SELECT * FROM ${table}) TO ${literal(file)} (FORMAT PARQUET)`, []);
  const importFile = async (table: TableName, file: string) => {
    const rows = await run(`INSERT INTO ${table} BY NAME SELECT * FROM read_parquet(${literal(file)})`, []);
    return Number(Object.values(rows[0] ?? { n: 0 })[0]);
  };
  const tmp = () => join(tmpdir(), `quantlens-${randomUUID()}.parquet`);
  const driver: Driver = {
    runtime: "node",
    run,
    async exportParquet(table) {
      const file = tmp();
      try {
        await exportFile(table, file);
        return new Uint8Array(await readFile(file));
      } finally {
        await rm(file, { force: true });
      }
    },
    async importParquet(table, data) {
      const file = tmp();
      try {
        await writeFile(file, data);
        return await importFile(table, file);
      } finally {
        await rm(file, { force: true });
      }
    },
    async close() {
      await queue;
      try {
        conn.closeSync();
      } finally {
        instance.closeSync();
      }
    },
  };
  const store = createStore(driver);
  try {
    await store.exec(SCHEMA_SQL);
  } catch (e) {
    await store.close().catch(() => undefined);
    throw e;
  }
  return {
    ...store,
    exportParquetFile: (table, path) =>
      wrap(`export of ${table} to ${path} failed`, async () => void (await exportFile(checkTable(table), path))),
    importParquetFile: (table, path) => wrap(`import of ${path} into ${table} failed`, () => importFile(checkTable(table), path)),
  };
}
