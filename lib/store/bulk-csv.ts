/**
 * Bulk inserts for duckdb-wasm: bound multi-row INSERTs cost ~2 ms a row there (7,560 evidence
 * rows took 8-11 s), so a large batch is written as CSV text, registered as a file and read by
 * DuckDB's own CSV reader (core, no extension) in one INSERT ... SELECT with the same casts the
 * bound path uses. Every value is quoted text; NULL is the one unquoted \N.
 */
import type { ColumnDef } from "./tables.ts";

/** Batches at least this long take the CSV path (below it, building the file costs more than it saves). */
export const BULK_MIN_ROWS = 64;

const NULL_TEXT = "\\N";

/** One CSV field of an encoded value (encodeValue's output: string, number, boolean or null). */
function field(v: unknown): string {
  if (v === null || v === undefined) return NULL_TEXT;
  return `"${String(v).replaceAll('"', '""')}"`;
}

/** The CSV text of `rows` (already encoded, in `defs` order). */
export function csvText(rows: unknown[][]): string {
  let out = "";
  for (const r of rows) out += r.map(field).join(",") + "\n";
  return out;
}

/** INSERT ... SELECT reading `file` (registered CSV of `defs` columns) into `table`. */
export function insertFromCsvSql(table: string, defs: ColumnDef[], file: string, ignore: boolean): string {
  const cols = defs.map((_, i) => `'c${i}': 'VARCHAR'`).join(", ");
  const casts = defs.map((d, i) => `CAST(c${i} AS ${d.type})`).join(", ");
  return `INSERT ${ignore ? "OR IGNORE " : ""}INTO ${table} (${defs.map((d) => `"${d.name}"`).join(", ")}) ` +
    `SELECT ${casts} FROM read_csv('${file}', header = false, all_varchar = true, nullstr = '\\N', ` +
    `allow_quoted_nulls = false, quote = '"', escape = '"', columns = {${cols}})`;
}
