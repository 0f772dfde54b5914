/**
 * Crafted Parquet files for the decode-bound tests: one OPTIONAL UTF8 column whose one data
 * page holds `values` nulls as a single RLE run (a few bytes decode to `values` entries),
 * while the footer declares `rows` rows. Laid out as parquet-format says: "PAR1", page header
 * (thrift compact) + page, FileMetaData (thrift compact), u32 footer length, "PAR1".
 */
import { ByteWriter } from "hyparquet-writer/src/bytewriter.js";
import { writePageHeader } from "hyparquet-writer/src/datapage.js";
import { writeMetadata } from "hyparquet-writer/src/metadata.js";

/** The RLE/bit-packed hybrid encoding of `count` zeros at bit width 1, with its u32 length prefix. */
function rleZeros(count: number): Uint8Array {
  const w = new ByteWriter();
  w.appendVarInt(count * 2); // RLE run header: count << 1 | 0
  w.appendUint8(0); // the repeated value, in ceil(1/8) = 1 byte
  const run = new Uint8Array(w.getBuffer());
  const out = new Uint8Array(4 + run.length);
  new DataView(out.buffer).setUint32(0, run.length, true);
  out.set(run, 4);
  return out;
}

/** A Parquet file of column `column` holding `values` nulls in one page, declaring `rows` rows. */
export function nullBombParquet(column: string, values: number, rows = values): Uint8Array {
  const page = rleZeros(values);
  const head = new ByteWriter();
  writePageHeader(head, {
    type: "DATA_PAGE", uncompressed_page_size: page.length, compressed_page_size: page.length,
    data_page_header: { num_values: values, encoding: "PLAIN", definition_level_encoding: "RLE", repetition_level_encoding: "RLE" },
  } as never);
  const header = new Uint8Array(head.getBuffer());
  const chunkBytes = BigInt(header.length + page.length);
  const meta = new ByteWriter();
  writeMetadata(meta, {
    version: 2, created_by: "quantlens test",
    schema: [
      { name: "duckdb_schema", num_children: 1 },
      { name: column, type: "BYTE_ARRAY", repetition_type: "OPTIONAL", converted_type: "UTF8" },
    ],
    num_rows: BigInt(rows),
    row_groups: [{
      columns: [{
        file_offset: 4n,
        meta_data: {
          type: "BYTE_ARRAY", encodings: ["PLAIN", "RLE"], path_in_schema: [column], codec: "UNCOMPRESSED",
          num_values: BigInt(values), total_uncompressed_size: chunkBytes, total_compressed_size: chunkBytes, data_page_offset: 4n,
        },
      }],
      total_byte_size: chunkBytes, num_rows: BigInt(rows),
    }],
  } as never);
  const footer = new Uint8Array(meta.getBuffer());
  const out = new Uint8Array(4 + header.length + page.length + footer.length + 8);
  const enc = new TextEncoder();
  out.set(enc.encode("PAR1"), 0);
  out.set(header, 4);
  out.set(page, 4 + header.length);
  out.set(footer, 4 + header.length + page.length);
  new DataView(out.buffer).setUint32(out.length - 8, footer.length, true);
  out.set(enc.encode("PAR1"), out.length - 4);
  return out;
}
