/** The identifier allow-list, parsed once from SCHEMA_SQL: every table, column and column type. */
import { SCHEMA_SQL } from "./schema.ts";

/** Every table of the schema (tests/store/schema.test.ts checks this list against SCHEMA_SQL). */
export const TABLE_NAMES = [
  "models",
  "tensors",
  "runs",
  "tensor_stats",
  "channel_stats",
  "run_results",
  "run_windows",
  "quant_errors",
  "evidence_results",
  "evidence_findings",
  "reports",
] as const;

export type TableName = (typeof TABLE_NAMES)[number];

/** One column as declared: DuckDB type (`DOUBLE[]`, `BIGINT`...) and whether it holds JSON text. */
export interface ColumnDef {
  name: string;
  type: string;
  json: boolean;
  list: boolean;
}

/** Parses `CREATE TABLE IF NOT EXISTS t (` blocks, one column per line, as schema.ts promises. */
export function parseSchema(ddl: string): Map<string, ColumnDef[]> {
  const tables = new Map<string, ColumnDef[]>();
  let current: ColumnDef[] | null = null;
  for (const raw of ddl.split("\n")) {
    const line = raw.trim();
    const start = /^CREATE TABLE IF NOT EXISTS (\w+) \($/.exec(line);
    if (start) tables.set(start[1], (current = []));
    else if (line.startsWith(");")) current = null;
    else if (current && !line.startsWith("PRIMARY KEY")) {
      const col = /^(\w+) ([A-Z]+(?:\[\])?)/.exec(line);
      if (col) current.push({ name: col[1], type: col[2], json: /--\s*json\b/.test(line), list: col[2].endsWith("[]") });
    }
  }
  return tables;
}

const TABLES = parseSchema(SCHEMA_SQL);

/** True when `name` is a table of the schema. */
export function isTableName(name: string): name is TableName {
  return TABLES.has(name);
}

/** The columns of a table, in DDL order; undefined for a table outside the schema. */
export function columnsOf(table: string): ColumnDef[] | undefined {
  return TABLES.get(table);
}
