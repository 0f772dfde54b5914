/**
 * Parquet for the wasm store. duckdb-wasm 1.32 loads its parquet extension from the network,
 * which quantlens never reaches, so the wasm store writes with hyparquet-writer and reads with
 * hyparquet (pure JS, browser and Node). The files use the same physical schema DuckDB's own
 * writer produces (INT64 + TIMESTAMP(MICROS), 3-level LIST), so Node and wasm files interchange.
 */
import { parquetReadObjects } from "hyparquet";
import { parquetWriteBuffer } from "hyparquet-writer";
import type { SchemaElement } from "hyparquet";
import { checkParquetBounds, MAX_PARQUET_VALUES, type ParquetLimits } from "./parquet-bounds.ts";
import { columnsOf, type ColumnDef, type TableName } from "./tables.ts";
import type { Row } from "./store.ts";

type Leaf = Pick<SchemaElement, "type" | "converted_type" | "logical_type">;

/** DuckDB column type → Parquet leaf, as DuckDB's writer declares it. */
function leafOf(type: string): Leaf {
  switch (type) {
    case "INTEGER": return { type: "INT32" };
    case "BIGINT": return { type: "INT64" };
    case "DOUBLE": return { type: "DOUBLE" };
    case "BOOLEAN": return { type: "BOOLEAN" };
    case "TIMESTAMP": return { type: "INT64", logical_type: { type: "TIMESTAMP", isAdjustedToUTC: false, unit: "MICROS" } };
    default: return { type: "BYTE_ARRAY", converted_type: "UTF8" };
  }
}

/** A plain value → what hyparquet-writer expects for the column (bigint for INT64). */
function cell(v: unknown, type: string): unknown {
  if (v === null || v === undefined) return null;
  if (type === "BIGINT" || type === "TIMESTAMP") return BigInt(v as number | bigint);
  return v;
}

function schemaOf(cols: ColumnDef[]): SchemaElement[] {
  const schema: SchemaElement[] = [{ name: "duckdb_schema", num_children: cols.length }];
  for (const c of cols) {
    if (!c.list) schema.push({ name: c.name, repetition_type: "OPTIONAL", ...leafOf(c.type) });
    else {
      schema.push({ name: c.name, repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 });
      schema.push({ name: "list", repetition_type: "REPEATED", num_children: 1 });
      schema.push({ name: "element", repetition_type: "OPTIONAL", ...leafOf(c.type.slice(0, -2)) });
    }
  }
  return schema;
}

/** SELECT list that reads TIMESTAMP columns as exact epoch microseconds. */
export function exportSelect(table: TableName): string {
  const cols = columnsOf(table)!;
  return `SELECT ${cols.map((c) => (c.type === "TIMESTAMP" ? `epoch_us("${c.name}") AS "${c.name}"` : `"${c.name}"`)).join(", ")} FROM ${table}`;
}

/** Rows from exportSelect(table) → Parquet bytes. */
export function writeParquet(table: TableName, rows: Row[]): Uint8Array {
  const cols = columnsOf(table)!;
  const columnData = cols.map((c) => {
    const base = c.list ? c.type.slice(0, -2) : c.type;
    const data = rows.map((r) => (c.list && r[c.name] != null ? (r[c.name] as unknown[]).map((x) => cell(x, base)) : cell(r[c.name], base)));
    return { name: c.name, data };
  });
  return new Uint8Array(parquetWriteBuffer({ schema: schemaOf(cols), columnData: columnData as never }));
}

/** Rows a Parquet file read into the store may hold unless the caller says otherwise. */
export const MAX_PARQUET_ROWS = 1_000_000;

/**
 * Parquet bytes → plain rows (absent values as null); throws on anything that is not Parquet,
 * and (ParquetBoundsError) on a file above `limits`, before decoding it.
 */
export async function readParquet(
  data: Uint8Array, limits: ParquetLimits = { maxRows: MAX_PARQUET_ROWS, maxValues: MAX_PARQUET_VALUES },
): Promise<Row[]> {
  checkParquetBounds(data, limits);
  const file = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  const rows = await parquetReadObjects({ file });
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === undefined ? null : v])));
}
