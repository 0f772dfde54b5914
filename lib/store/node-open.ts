/**
 * Opening a DuckDB file from Node safely: a file that is not a DuckDB database is refused
 * before DuckDB reads it (DuckDB would otherwise try to download an extension to read e.g.
 * a SQLite file), extension autoloading and autoinstalling are off, and DuckDB's open errors
 * become a StoreOpenError that says in plain words what is wrong (`kind`).
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { basename } from "node:path";
import { StoreError } from "./store.ts";

/** DuckDB instance settings: never load or fetch an extension behind the user's back. */
export const NODE_OFFLINE_CONFIG = { autoload_known_extensions: "false", autoinstall_known_extensions: "false" } as const;
/** DuckDB's main header: 8 bytes of checksum, then the magic "DUCK" (duckdb storage format). */
const DUCKDB_MAGIC_OFFSET = 8;
const DUCKDB_MAGIC = "DUCK";

/** Why a store file could not be opened. */
export class StoreOpenError extends StoreError {
  constructor(readonly path: string, readonly kind: "locked" | "not-duckdb" | "unreadable", message: string) {
    super(message);
    this.name = "StoreOpenError";
  }
}

/** Throws StoreOpenError when `path` exists but is not a DuckDB database (or not a regular file). */
export function checkDuckDbFile(path: string): void {
  if (path === ":memory:") return;
  let st;
  try {
    st = statSync(path);
  } catch {
    return; // absent: DuckDB creates it
  }
  if (!st.isFile()) throw new StoreOpenError(path, "not-duckdb", `${path} is not a regular file`);
  if (st.size === 0) return; // an empty file: DuckDB initialises it
  const head = Buffer.alloc(DUCKDB_MAGIC_OFFSET + DUCKDB_MAGIC.length);
  const fd = openSync(path, "r");
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (head.subarray(DUCKDB_MAGIC_OFFSET).toString("latin1") !== DUCKDB_MAGIC) {
    throw new StoreOpenError(path, "not-duckdb", `${path} is not a DuckDB database file (left untouched)`);
  }
}

/** DuckDB's error on open → StoreOpenError in plain words. */
export function openErrorOf(path: string, e: unknown): StoreOpenError {
  const msg = e instanceof Error ? e.message : String(e);
  if (/Could not set lock|Conflicting lock/i.test(msg)) {
    return new StoreOpenError(path, "locked", `${basename(path)} is in use by another quantlens process (${path})`);
  }
  if (/not a valid DuckDB database/i.test(msg)) return new StoreOpenError(path, "not-duckdb", `${path} is not a DuckDB database file`);
  return new StoreOpenError(path, "unreadable", `cannot open ${path}: ${msg.split("\n")[0]}`);
}
