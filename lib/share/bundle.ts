/**
 * Result bundles: the store rows of one run (its model, tensor inventory, run, tensor and
 * channel statistics) as Parquet files in one container, for results too large for a URL.
 *
 * Layout (all little-endian):
 *   "QLBUNDLE"            8 bytes magic
 *   u32 version           BUNDLE_VERSION
 *   u32 manifest length   then the manifest, UTF-8 JSON (BundleManifest)
 *   Parquet files         back to back; manifest offsets count from the first one
 *
 * Reading is a trust boundary (a bundle arrives by link or drop): sizes are checked against
 * named limits, only the tables in BUNDLE_TABLES are accepted, every column must exist in the
 * store schema (lib/store/schema.ts) with a value of its type, and every row must belong to the
 * manifest's run and model. A bundle is never a database file: rows go through Store.insert.
 */
import { z } from "zod";
import { readParquet, writeParquet } from "../store/parquet.ts";
import { runKeyOf, runModelId, runRowsOf } from "../store/run-queries.ts";
import { checkParquetBounds, MAX_PARQUET_VALUES, ParquetBoundsError } from "../store/parquet-bounds.ts";
import { columnsOf, type ColumnDef, type TableName } from "../store/tables.ts";
import type { Row, Store } from "../store/store.ts";
import { inTransaction } from "../store/transaction.ts";

export const BUNDLE_MAGIC = "QLBUNDLE";
export const BUNDLE_VERSION = 1;
/** the tables of one run, in insert order (models before what refers to them) */
export const BUNDLE_TABLES = ["models", "tensors", "runs", "tensor_stats", "channel_stats", "run_results", "run_windows", "quant_errors"] as const satisfies readonly TableName[];
export type BundleTable = (typeof BUNDLE_TABLES)[number];
/** far above a 405B model's statistics (~10 MiB); bounds what a link can make the page allocate */
export const MAX_BUNDLE_BYTES = 256 * 1024 * 1024;
/** a manifest lists at most BUNDLE_TABLES.length (eight) tables */
export const MAX_MANIFEST_BYTES = 64 * 1024;
/** above any real model's tensor count times two axes */
export const MAX_TABLE_ROWS = 1_000_000;

/** The rows of one run, table by table (what a bundle holds, and what the dashboard rebuilds from). */
export type RunRows = Record<BundleTable, Row[]>;

export class BundleError extends Error {
  constructor(message: string) {
    super(`bundle: ${message}`);
    this.name = "BundleError";
  }
}

const ManifestSchema = z.object({
  format: z.literal("quantlens-bundle"),
  version: z.literal(BUNDLE_VERSION),
  tool: z.string().max(200),
  model_id: z.string().min(1).max(200),
  run_id: z.string().min(1).max(200),
  created_at: z.string().max(64),
  tables: z.array(z.object({
    table: z.enum(BUNDLE_TABLES),
    offset: z.number().int().nonnegative(),
    length: z.number().int().positive(),
    rows: z.number().int().nonnegative().max(MAX_TABLE_ROWS),
  })).max(BUNDLE_TABLES.length),
}).strict();
export type BundleManifest = z.infer<typeof ManifestSchema>;

/** Reads one run's rows (exportSelect form: timestamps as epoch microseconds) from the store. */
export async function collectRunRows(store: Store, runId: string): Promise<{ modelId: string; rows: RunRows }> {
  const modelId = await runModelId(store, runId);
  if (modelId === undefined) throw new BundleError(`no run "${runId}" in the store`);
  const rows = {} as RunRows;
  for (const table of BUNDLE_TABLES) rows[table] = await runRowsOf(store, table, runId, modelId);
  return { modelId, rows };
}

/** Writes the bundle of one run of the store. */
export async function writeBundle(store: Store, runId: string, tool: string): Promise<Uint8Array> {
  const { modelId, rows } = await collectRunRows(store, runId);
  const blobs: Uint8Array[] = [];
  const tables: BundleManifest["tables"] = [];
  let offset = 0;
  for (const table of BUNDLE_TABLES) {
    if (rows[table].length === 0) continue;
    const data = writeParquet(table, rows[table]);
    tables.push({ table, offset, length: data.length, rows: rows[table].length });
    blobs.push(data);
    offset += data.length;
  }
  const manifest: BundleManifest = {
    format: "quantlens-bundle", version: BUNDLE_VERSION, tool, model_id: modelId, run_id: runId,
    created_at: new Date().toISOString(), tables,
  };
  const head = new TextEncoder().encode(JSON.stringify(manifest));
  const out = new Uint8Array(16 + head.length + offset);
  out.set(new TextEncoder().encode(BUNDLE_MAGIC), 0);
  const dv = new DataView(out.buffer);
  dv.setUint32(8, BUNDLE_VERSION, true);
  dv.setUint32(12, head.length, true);
  out.set(head, 16);
  let at = 16 + head.length;
  for (const b of blobs) { out.set(b, at); at += b.length; }
  return out;
}

/** A Parquet value as a plain JS value: bigint -> number, Date -> ISO string, lists element-wise. */
function plain(v: unknown): unknown {
  if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

/** Does `v` fit column `c`? (null is left to the store's NOT NULL constraints) */
function fits(v: unknown, c: ColumnDef): boolean {
  if (v === null) return true;
  const base = c.list ? c.type.slice(0, -2) : c.type;
  if (c.list) return Array.isArray(v) && v.length <= 1 << 24 && v.every((x) => x === null || fits(x, { ...c, type: base, list: false }));
  switch (base) {
    case "DOUBLE": return typeof v === "number";
    case "INTEGER": case "BIGINT": return typeof v === "number" && Number.isInteger(v);
    case "BOOLEAN": return typeof v === "boolean";
    case "TIMESTAMP": return typeof v === "string" && !Number.isNaN(Date.parse(v));
    default:
      if (typeof v !== "string") return false;
      if (!c.json) return true;
      try { JSON.parse(v); return true; } catch { return false; }
  }
}

/** Checks rows of `table` against the store schema; TIMESTAMP epoch microseconds become ISO strings. */
function checkRows(table: BundleTable, raw: Row[], manifest: BundleManifest): Row[] {
  const cols = new Map(columnsOf(table)!.map((c) => [c.name, c]));
  const key = runKeyOf(table);
  const want = key === "run_id" ? manifest.run_id : manifest.model_id;
  return raw.map((r, i) => {
    const row: Row = {};
    for (const [k, v0] of Object.entries(r)) {
      const c = cols.get(k);
      if (!c) throw new BundleError(`${table} row ${i}: column "${k}" is not in the store schema`);
      let v = plain(v0);
      if (c.type === "TIMESTAMP" && typeof v === "number") v = new Date(v / 1000).toISOString(); // epoch_us
      if (!fits(v, c)) throw new BundleError(`${table} row ${i}: "${k}" is not a ${c.type}`);
      row[k] = v;
    }
    if (row[key] !== want) throw new BundleError(`${table} row ${i}: ${key} "${String(row[key])}" is not the bundle's ${key}`);
    return row;
  });
}

/** Reads and validates a bundle; throws BundleError in plain words on anything else. */
export async function readBundle(bytes: Uint8Array): Promise<{ manifest: BundleManifest; rows: RunRows }> {
  if (bytes.length > MAX_BUNDLE_BYTES) throw new BundleError(`${bytes.length} bytes is above the ${MAX_BUNDLE_BYTES}-byte limit`);
  if (bytes.length < 16 || new TextDecoder().decode(bytes.subarray(0, 8)) !== BUNDLE_MAGIC) {
    throw new BundleError("not a quantlens result bundle (no QLBUNDLE header)");
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(8, true);
  if (version !== BUNDLE_VERSION) throw new BundleError(`version ${version} is not supported (this page reads version ${BUNDLE_VERSION})`);
  const headLen = dv.getUint32(12, true);
  if (headLen > MAX_MANIFEST_BYTES || 16 + headLen > bytes.length) throw new BundleError(`manifest length ${headLen} is out of range`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(16, 16 + headLen)));
  } catch {
    throw new BundleError("the manifest is not valid JSON");
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BundleError(`manifest ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  const manifest = parsed.data;
  const base = 16 + headLen;
  const rows = Object.fromEntries(BUNDLE_TABLES.map((t) => [t, [] as Row[]])) as RunRows;
  const seen = new Set<string>();
  for (const t of manifest.tables) {
    if (seen.has(t.table)) throw new BundleError(`table ${t.table} is listed twice`);
    seen.add(t.table);
    if (base + t.offset + t.length > bytes.length) throw new BundleError(`table ${t.table} ends past the end of the bundle`);
    const blob = bytes.subarray(base + t.offset, base + t.offset + t.length);
    const limits = { maxRows: MAX_TABLE_ROWS, maxValues: MAX_PARQUET_VALUES, expectedRows: t.rows };
    let raw: Row[];
    try {
      checkParquetBounds(blob, limits); // from footer and page headers, before decoding anything
      raw = await readParquet(blob, limits);
    } catch (e) {
      if (e instanceof ParquetBoundsError) throw new BundleError(`table ${t.table}: ${e.message}`);
      throw new BundleError(`table ${t.table} is not a readable Parquet file (${(e as Error).message})`);
    }
    if (raw.length !== t.rows) throw new BundleError(`table ${t.table} has ${raw.length} rows, the manifest says ${t.rows}`);
    rows[t.table] = checkRows(t.table, raw, manifest);
  }
  if (rows.runs.length !== 1) throw new BundleError(`expected one run, found ${rows.runs.length}`);
  return { manifest, rows };
}

/** The bundle's run is already in the store: importing it again would merge into that run. */
export class BundleRunExistsError extends BundleError {
  constructor(readonly runId: string) {
    super(`run "${runId}" is already in the store (a bundle never merges into an existing run)`);
  }
}

/**
 * Inserts a bundle's rows in one transaction: a failure in any table leaves the store as it
 * was. The model and its tensor inventory may already be there (another run of the same model:
 * kept as they are); a run_id already in the store is refused (BundleRunExistsError).
 */
export async function importBundle(store: Store, rows: RunRows): Promise<number> {
  const runIds = [...new Set(rows.runs.map((r) => String(r["run_id"])))];
  return inTransaction(store, async () => {
    for (const id of runIds) {
      if (await store.queryRow("SELECT 1 AS x FROM runs WHERE run_id = ?", [id])) throw new BundleRunExistsError(id);
    }
    let n = 0;
    for (const table of BUNDLE_TABLES) {
      if (!rows[table].length) continue;
      const shared = table === "models" || table === "tensors"; // per model, not per run
      n += await store.insert(table, rows[table], { onConflict: shared ? "ignore" : "error" });
    }
    return n;
  });
}
