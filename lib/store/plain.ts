/**
 * Conversions between driver values and plain JS, shared by both runtimes, so a row read from
 * @duckdb/node-api and one read from duckdb-wasm (Apache Arrow) compare equal.
 */
import type { ColumnDef } from "./tables.ts";

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Any driver value → plain JS: BIGINT → number when safe (else bigint), lists and typed arrays → arrays, Date → ISO string. */
export function toPlain(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return v <= MAX_SAFE && v >= -MAX_SAFE ? Number(v) : v;
  if (typeof v !== "object") return v;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(toPlain);
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<unknown>, toPlain);
  const o = v as Record<string, unknown>;
  // Arrow Vector (wasm lists) and DuckDB list values: both expose toArray()
  if (typeof o.toArray === "function") return toPlain((o as { toArray(): unknown }).toArray());
  if (Object.getPrototypeOf(o) === Object.prototype || Object.getPrototypeOf(o) === null) {
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, toPlain(x)]));
  }
  // Arrow StructRow and similar row proxies
  if (typeof o.toJSON === "function") return toPlain((o as { toJSON(): unknown }).toJSON());
  return v;
}

/** One row of driver values → a plain object. */
export function rowToPlain(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(row)) out[k] = toPlain(row[k]);
  return out;
}

/**
 * A JS value → a parameter both drivers bind the same way, for `CAST(? AS <type>)` in insert():
 * JSON columns → JSON text (a string is taken as JSON text and checked), lists → JSON list text, bigint and every DOUBLE → text, Date → ISO.
 */
export function encodeValue(v: unknown, col: ColumnDef): unknown {
  if (v === null || v === undefined) return null;
  if (col.json) {
    if (typeof v !== "string") return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? Number(x) : x));
    JSON.parse(v); // a string is JSON text already (as Parquet import hands it over): check it, keep it
    return v;
  }
  if (col.list) {
    const items = Array.from(v as ArrayLike<unknown>, (x) => (typeof x === "number" ? numberText(x) : String(x)));
    return `[${items.join(", ")}]`;
  }
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "bigint") return v.toString();
  // DOUBLE columns take text: duckdb-wasm parses bound numbers with a JSON reader that is off by
  // an ulp for some values (-1.2033039331436157 came back ...155), and node-api binds integral
  // doubles as BIGINT; DuckDB's VARCHAR -> DOUBLE cast is exact in both runtimes.
  if (typeof v === "number" && (col.type === "DOUBLE" || !Number.isFinite(v) || Object.is(v, -0))) return numberText(v);
  return v;
}

/** A number as DuckDB casts it back exactly: shortest round-trip digits, quoted NaN/Infinity, signed zero. */
function numberText(x: number): string {
  if (Object.is(x, -0)) return "-0.0";
  return Number.isFinite(x) ? String(x) : `'${x}'`;
}

/** Parses a JSON text column; null stays null. */
export function parseJson<T>(v: unknown): T | null {
  if (v === null || v === undefined) return null;
  return (typeof v === "string" ? JSON.parse(v) : v) as T;
}
