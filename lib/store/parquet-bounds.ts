/**
 * Bounds a Parquet file before anything is decoded (a trust boundary: bundles arrive by link).
 * Run-length encoding lets a few bytes stand for millions of values, so the footer's row
 * count, each column chunk's value count and byte sizes, and every page header's value count
 * and page size (the footer can lie about the pages) are checked against named limits. The
 * walk visits exactly the byte ranges hyparquet's reader decodes (column chunk from its
 * dictionary or first data page, total_compressed_size long). Uses hyparquet's metadata API.
 */
import { parquetMetadata } from "hyparquet";
import { parquetHeader } from "hyparquet/src/column.js";
import { checkDataPage } from "./parquet-pages.ts";

export interface ParquetLimits {
  /** rows the file may hold */
  maxRows: number;
  /** leaf values (rows times list elements, nulls included) the whole file may decode to */
  maxValues: number;
  /** when known, the row count the footer must declare */
  expectedRows?: number;
}

/** Footer (FileMetaData) bytes: a six-table bundle's footers are a few KB. */
export const MAX_PARQUET_FOOTER_BYTES = 4 * 1024 * 1024;
/** Decompressed bytes of one page (a page is allocated whole). */
export const MAX_PARQUET_PAGE_BYTES = 64 * 1024 * 1024;
/** Row groups and column chunks: our files have one row group of at most a few dozen columns. */
export const MAX_PARQUET_CHUNKS = 10_000;
/** Default leaf values per file: ~8x a 405B model's statistics bundle; bounds decode memory. */
export const MAX_PARQUET_VALUES = 16 * 1024 * 1024;

/** Thrown when a Parquet file is malformed or above a limit; the message names the field. */
export class ParquetBoundsError extends Error {
  override name = "ParquetBoundsError";
}

const int = (v: unknown) => (typeof v === "bigint" ? Number(v) : typeof v === "number" ? v : NaN);

/** Throws ParquetBoundsError unless `data` is within `limits` (a plain Error when it is not Parquet at all). */
export function checkParquetBounds(data: Uint8Array, limits: ParquetLimits): void {
  const fail = (msg: string): never => { throw new ParquetBoundsError(msg); };
  if (data.length < 12) throw new Error(`${data.length} bytes is too short for Parquet`); // not Parquet at all
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const footerLen = dv.getUint32(data.length - 8, true);
  if (footerLen > MAX_PARQUET_FOOTER_BYTES || footerLen > data.length - 12) {
    fail(`footer length ${footerLen} is out of range (limit ${MAX_PARQUET_FOOTER_BYTES})`);
  }
  const buffer = data.buffer.slice(data.byteOffset + data.length - footerLen - 8, data.byteOffset + data.length) as ArrayBuffer;
  let meta: ReturnType<typeof parquetMetadata>;
  try {
    meta = parquetMetadata(buffer);
  } catch (e) {
    throw new Error(`unreadable footer (${(e as Error).message})`); // not Parquet at all
  }
  const rows = int(meta.num_rows);
  if (!Number.isSafeInteger(rows) || rows < 0 || rows > limits.maxRows) fail(`the footer says ${String(meta.num_rows)} rows, above the limit of ${limits.maxRows}`);
  if (limits.expectedRows !== undefined && rows !== limits.expectedRows) {
    fail(`the Parquet footer says ${rows} rows, the manifest says ${limits.expectedRows}`);
  }
  const chunks = meta.row_groups.flatMap((g) => g.columns);
  if (meta.row_groups.length > MAX_PARQUET_CHUNKS || chunks.length > MAX_PARQUET_CHUNKS) fail(`${chunks.length} column chunks is above ${MAX_PARQUET_CHUNKS}`);
  let groupRows = 0;
  for (const g of meta.row_groups) groupRows += int(g.num_rows);
  if (groupRows !== rows) fail(`row groups hold ${groupRows} rows, the footer says ${rows}`);
  let values = 0; // leaf values over the whole file, from the page headers
  for (const c of chunks) {
    const m = c.meta_data;
    if (!m) return fail("a column chunk has no metadata");
    const name = m.path_in_schema.join(".");
    const declared = int(m.num_values);
    if (!(declared >= 0 && declared <= limits.maxValues)) fail(`column ${name}: ${declared} values, above the limit of ${limits.maxValues}`);
    const start = int(m.dictionary_page_offset || m.data_page_offset);
    const end = start + int(m.total_compressed_size);
    if (!(start >= 0 && end >= start && end <= data.length)) fail(`column ${name}: bytes [${start}, ${end}) lie outside the file`);
    values += checkPages(data.subarray(start, end), name, limits.maxValues - values, fail, (h, body) => checkDataPage(meta, m, h, body, fail));
  }
}

/** Walks the page headers of one column chunk; returns its data pages' values. */
function checkPages(
  chunk: Uint8Array, name: string, budget: number, fail: (msg: string) => never,
  page: (h: ReturnType<typeof parquetHeader>, body: Uint8Array) => void,
): number {
  const reader = { view: new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength), offset: 0 };
  let values = 0;
  while (reader.offset < chunk.length - 1) { // hyparquet's own loop condition
    let h: ReturnType<typeof parquetHeader>;
    try {
      h = parquetHeader(reader);
    } catch (e) {
      return fail(`column ${name}: unreadable page header (${(e as Error).message})`);
    }
    const size = int(h.compressed_page_size);
    const raw = int(h.uncompressed_page_size);
    if (!(size >= 0 && reader.offset + size <= chunk.length)) fail(`column ${name}: a page of ${size} bytes runs past its column chunk`);
    if (!(raw >= 0 && raw <= MAX_PARQUET_PAGE_BYTES)) fail(`column ${name}: a page of ${raw} bytes, above the limit of ${MAX_PARQUET_PAGE_BYTES}`);
    const n = int(h.data_page_header?.num_values ?? h.data_page_header_v2?.num_values ?? h.dictionary_page_header?.num_values ?? 0);
    if (!(n >= 0)) fail(`column ${name}: a page declares ${n} values`);
    values += n;
    if (values > budget) fail(`column ${name}: pages hold ${values} values, above the limit of the file's ${budget} values left`);
    if (h.data_page_header || h.data_page_header_v2) page(h, chunk.subarray(reader.offset, reader.offset + size));
    reader.offset += size;
  }
  return values;
}
