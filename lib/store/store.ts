/**
 * The one Store interface (STYLE.md "store") over two runtimes: node.ts (@duckdb/node-api) and
 * wasm.ts (@duckdb/duckdb-wasm). A runtime supplies a Driver; createStore adds identifier
 * validation, parameter encoding, batching and one error class with plain messages.
 */
import { BULK_MIN_ROWS } from "./bulk-csv.ts";
import { encodeValue } from "./plain.ts";
import { columnsOf, isTableName, type ColumnDef, type TableName } from "./tables.ts";

export type { TableName } from "./tables.ts";
/** A row as plain JS (see toPlain): column name → value. */
export type Row = Record<string, unknown>;
/** A statement with its bound values, as built by the `sql` tag. */
export interface SqlQuery { text: string; params: unknown[] }

/** Every driver failure, with a message that says which query or table failed. */
export class StoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`store: ${message}`, options);
    this.name = "StoreError";
  }
}

/** Tagged template: interpolations become `?` placeholders and bound values, never SQL text. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlQuery {
  return { text: strings.join("?"), params: values };
}

export interface InsertOptions { onConflict?: "error" | "ignore" }

export interface Store {
  readonly runtime: "node" | "wasm";
  query<T = Row>(q: string | SqlQuery, params?: unknown[]): Promise<T[]>;
  queryRow<T = Row>(q: string | SqlQuery, params?: unknown[]): Promise<T | null>;
  /** Runs trusted SQL text (DDL, several statements) without parameters. */
  exec(sqlText: string): Promise<void>;
  /** Appends rows (one statement per batch, committed as it goes); returns the count. */
  insert(table: TableName, rows: Row[] | AsyncIterable<Row[]>, opts?: InsertOptions): Promise<number>;
  /** The whole table as Parquet bytes. */
  exportParquet(table: TableName): Promise<Uint8Array>;
  /** Appends the rows of a Parquet file (all or nothing); returns the count. */
  importParquet(table: TableName, data: Uint8Array): Promise<number>;
  close(): Promise<void>;
}

/** What a runtime provides: plain rows from bound statements, and its own Parquet path. */
export interface Driver {
  readonly runtime: "node" | "wasm";
  run(text: string, params: unknown[]): Promise<Row[]>;
  exportParquet(table: TableName): Promise<Uint8Array>;
  importParquet(table: TableName, data: Uint8Array): Promise<number>;
  /** optional fast path for long batches: rows already encoded, in `defs` order (bulk-csv.ts) */
  bulkInsert?(table: TableName, defs: ColumnDef[], rows: unknown[][], ignore: boolean): Promise<void>;
  close(): Promise<void>;
}

/** Rows per INSERT statement: keeps the bound parameter count in the low thousands. */
const INSERT_BATCH_ROWS = 200;

const short = (text: string) => text.replace(/\s+/g, " ").trim().slice(0, 80);
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e)).split("\n")[0];

/** Checks a table name against the schema allow-list. */
export function checkTable(table: string): TableName {
  if (!isTableName(table)) throw new StoreError(`unknown table "${table}"`);
  return table;
}

/** Runs `f`, turning any driver error into a StoreError that starts with `what`. */
export async function wrap<T>(what: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof StoreError) throw e;
    throw new StoreError(`${what}: ${messageOf(e)}`, { cause: e });
  }
}

/** Builds the Store every caller uses on top of a runtime's Driver. */
export function createStore(driver: Driver): Store {
  const query = <T>(q: string | SqlQuery, params: unknown[] = []) => {
    const { text, params: bound } = typeof q === "string" ? { text: q, params } : q;
    return wrap(`query failed (${short(text)})`, () => driver.run(text, bound)) as Promise<T[]>;
  };
  const insertBatch = async (table: TableName, rows: Row[], ignore: boolean) => {
    const cols = columnsOf(table)!;
    // one statement per distinct key set, so omitted columns stay NULL without guessing
    const groups = new Map<string, Row[]>();
    for (const r of rows) {
      const keys = Object.keys(r).filter((k) => r[k] !== undefined).sort().join(",");
      groups.set(keys, [...(groups.get(keys) ?? []), r]);
    }
    for (const [keys, group] of groups) {
      const defs = keys.split(",").filter(Boolean).map((k) => {
        const c = cols.find((d) => d.name === k);
        if (!c) throw new StoreError(`insert into ${table}: unknown column "${k}"`);
        return c;
      });
      if (defs.length === 0) throw new StoreError(`insert into ${table}: empty row`);
      const tuple = `(${defs.map((d) => `CAST(? AS ${d.type})`).join(", ")})`;
      const head = `INSERT ${ignore ? "OR IGNORE " : ""}INTO ${table} (${defs.map((d) => `"${d.name}"`).join(", ")}) VALUES `;
      if (driver.bulkInsert && group.length >= BULK_MIN_ROWS) {
        const encoded = group.map((r) => defs.map((d) => encodeValue(r[d.name], d)));
        await wrap(`insert into ${table} failed`, () => driver.bulkInsert!(table, defs, encoded, ignore));
        continue;
      }
      for (let i = 0; i < group.length; i += INSERT_BATCH_ROWS) {
        const batch = group.slice(i, i + INSERT_BATCH_ROWS);
        const params = batch.flatMap((r) => defs.map((d) => encodeValue(r[d.name], d)));
        await wrap(`insert into ${table} failed`, () => driver.run(head + batch.map(() => tuple).join(", "), params));
      }
    }
  };
  return {
    runtime: driver.runtime,
    query,
    async queryRow<T>(q: string | SqlQuery, params?: unknown[]) {
      return ((await query<T>(q, params))[0] ?? null) as T | null;
    },
    async exec(sqlText) {
      const statements = sqlText.split(/;\s*(?:--[^\n]*)?\n/).map((s) => s.trim()).filter((s) => s && !/^(--[^\n]*\n?)*$/.test(s));
      for (const s of statements) await wrap(`exec failed (${short(s)})`, () => driver.run(s, []));
    },
    async insert(table, rows, opts = {}) {
      checkTable(table);
      let n = 0;
      const batches: AsyncIterable<Row[]> | Row[][] = Array.isArray(rows) ? [rows] : rows;
      for await (const batch of batches) {
        await insertBatch(table, batch, opts.onConflict === "ignore");
        n += batch.length;
      }
      return n;
    },
    exportParquet: (table) => wrap(`export of ${table} to Parquet failed`, () => driver.exportParquet(checkTable(table))),
    importParquet: (table, data) => wrap(`import of Parquet into ${table} failed`, () => driver.importParquet(checkTable(table), data)),
    close: () => wrap("close failed", () => driver.close()),
  };
}
