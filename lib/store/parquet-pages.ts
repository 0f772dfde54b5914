/**
 * Checks the RLE/bit-packed hybrid streams of a Parquet data page before hyparquet decodes it:
 * repetition and definition levels, and dictionary indices. hyparquet 1.31 trusts each run
 * header: a bit-packed run of width 0 and a count of 2^31 spins for minutes, a negative count
 * never ends, and an RLE run longer than the page writes past its output array (growing it).
 * Here every run must fit in the values the page declares (parquet-format Encodings.md).
 */
import { snappyUncompress } from "hyparquet";
import { getMaxDefinitionLevel, getMaxRepetitionLevel, getSchemaPath } from "hyparquet/src/schema.js";
import type { FileMetaData, PageHeader } from "hyparquet";

/** Values an RLE or width-0 run may overshoot the page by. */
const RUN_SLACK = 8;

type Fail = (msg: string) => never;
type ColumnMeta = NonNullable<FileMetaData["row_groups"][number]["columns"][number]["meta_data"]>;

const bitWidth = (v: number) => (v === 0 ? 0 : 32 - Math.clz32(v));

/** hyparquet's readVarInt, with its int32 arithmetic, bounded by `end`. */
function varint(b: Uint8Array, pos: number, end: number): [value: number, next: number] | null {
  let result = 0;
  for (let shift = 0; pos < end; shift += 7) {
    const byte = b[pos++]!;
    result |= (byte & 0x7f) << shift;
    if (!(byte & 0x80)) return [result, pos];
  }
  return null;
}

/** Walks one hybrid stream in b[pos, end) that decodes to `want` values of `width` bits. */
function walkHybrid(b: Uint8Array, pos: number, end: number, width: number, want: number, what: string, fail: Fail): void {
  if (width > 32) fail(`${what}: bit width ${width} is above 32`);
  let seen = 0;
  while (seen < want) {
    const h = varint(b, pos, end);
    if (!h) return; // runs out: hyparquet then fails on its own read past the end
    const [header, next] = h;
    pos = next;
    const count = header & 1 ? (header >> 1) << 3 : header >>> 1; // as hyparquet computes them
    // a bit-packed run of width > 0 is bounded by its bytes (writers pad it past the page: DuckDB
    // writes 256 for 4); one of width 0 reads none, and an RLE run writes all its values
    const unbounded = !(header & 1) || width === 0;
    if (count < 0 || (unbounded && count > want - seen + RUN_SLACK)) fail(`${what}: a run of ${count} values where ${want - seen} are left`);
    pos += header & 1 ? (count / 8) * width : (width + 7) >> 3;
    seen += count;
  }
}

/** The page's bytes after decompression (hyparquet reads SNAPPY and UNCOMPRESSED itself). */
function inflate(bytes: Uint8Array, size: number, codec: string, fail: Fail): Uint8Array | null {
  if (codec === "UNCOMPRESSED") return bytes;
  if (codec !== "SNAPPY") return null; // hyparquet refuses other codecs without decompressors
  const out = new Uint8Array(size);
  try {
    snappyUncompress(bytes, out);
  } catch (e) {
    fail(`bad SNAPPY data (${(e as Error).message})`);
  }
  return out;
}

/** Checks the hybrid streams of one data page `body` (the compressed bytes after its header). */
export function checkDataPage(meta: FileMetaData, m: ColumnMeta, h: PageHeader, body: Uint8Array, fail: Fail): void {
  const path = getSchemaPath(meta.schema, m.path_in_schema);
  const maxRep = getMaxRepetitionLevel(path);
  const maxDef = getMaxDefinitionLevel(path);
  const dict = (e: string) => e === "RLE_DICTIONARY" || e === "PLAIN_DICTIONARY";
  const name = m.path_in_schema.join(".");
  const v1 = h.data_page_header;
  const v2 = h.data_page_header_v2;
  const int = (v: unknown) => (typeof v === "bigint" ? Number(v) : typeof v === "number" ? v : NaN);
  const ok = (v: number) => Number.isSafeInteger(v) && v >= 0;
  if (v1 && !v1.encoding) fail(`column ${name}: a data page without a known encoding`);
  if (v2) { // fields hyparquet uses unchecked (missing ones became NaN lengths and a decode that never ended)
    const [n, nulls, rep, def] = [v2.num_values, v2.num_nulls, v2.repetition_levels_byte_length, v2.definition_levels_byte_length].map(int);
    if (!v2.encoding) fail(`column ${name}: a data page without a known encoding`);
    if (![n, nulls, rep, def].every(ok) || nulls! > n! || rep! + def! > body.length) fail(`column ${name}: a data page header with bad counts or level lengths`);
  }
  if (v1) {
    const page = inflate(body, Number(h.uncompressed_page_size), m.codec, fail);
    if (!page) return;
    const n = Number(v1.num_values);
    let pos = 0;
    const dv = new DataView(page.buffer, page.byteOffset, page.byteLength);
    for (const [max, what] of [[maxRep, "repetition levels"], [maxDef, "definition levels"]] as const) {
      if (!max) continue;
      if (pos + 4 > page.length) return;
      const len = dv.getUint32(pos, true);
      walkHybrid(page, pos + 4, Math.min(page.length, pos + 4 + len), bitWidth(max), n, `column ${name} ${what}`, fail);
      pos += 4 + len;
    }
    if (dict(v1.encoding) && pos < page.length) walkHybrid(page, pos + 1, page.length, page[pos]!, n, `column ${name} dictionary indices`, fail);
  } else if (v2) {
    const n = Number(v2.num_values);
    const repLen = Number(v2.repetition_levels_byte_length);
    const defLen = Number(v2.definition_levels_byte_length);
    if (maxRep) walkHybrid(body, 0, Math.min(body.length, repLen), bitWidth(maxRep), n, `column ${name} repetition levels`, fail);
    if (maxDef) walkHybrid(body, repLen, Math.min(body.length, repLen + defLen), bitWidth(maxDef), n, `column ${name} definition levels`, fail);
    if (!dict(v2.encoding) && v2.encoding !== "RLE") return;
    const rest = body.subarray(Math.min(body.length, repLen + defLen));
    const size = Number(h.uncompressed_page_size) - repLen - defLen;
    if (size < 0) fail(`column ${name}: level lengths exceed the page`);
    const page = v2.is_compressed === false ? rest : inflate(rest, size, m.codec, fail);
    if (!page || page.length === 0) return;
    const want = n - Number(v2.num_nulls);
    if (v2.encoding === "RLE") walkHybrid(page, 0, page.length, 1, want, `column ${name} values`, fail);
    else walkHybrid(page, 1, page.length, page[0]!, want, `column ${name} dictionary indices`, fail);
  }
}
