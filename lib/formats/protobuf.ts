/**
 * A minimal protobuf wire-format reader for ONNX, streaming over a ByteSource through
 * BufferedReader so large `bytes` fields (embedded tensor data) are skipped, never read.
 * Each ProtoReader covers one message [start, end); a sub-message is a new ProtoReader
 * over its length-delimited range, one level deeper (bounded by MAX_PROTO_DEPTH).
 *
 *     const m = new ProtoReader(r, r.src.size, "ModelProto");
 *     while (!m.done) {
 *       const { field, wireType } = await m.tag();
 *       switch (field) { case 7: graph = await parseGraphProto(await m.sub("graph")); break;
 *                        default: await m.skip(wireType); }
 *     }
 */
import type { BufferedReader } from "./buffered-reader.ts";
import { FormatError } from "./errors.ts";
import { MAX_PROTO_DEPTH, MAX_STRING_BYTES } from "./limits.ts";

/** A varint is at most 10 bytes (64 bits, 7 per byte). */
export const MAX_VARINT_BYTES = 10;

/** Wire types (protobuf encoding spec). Groups (3, 4) are deprecated and rejected. */
export const enum WireType { VARINT = 0, I64 = 1, LEN = 2, SGROUP = 3, EGROUP = 4, I32 = 5 }

/** Reader for one message, limited to [reader offset, end). */
export class ProtoReader {
  /** wire type of the field being read (set by tag(); set by hand for packed elements) */
  wire = -1;

  constructor(
    readonly r: BufferedReader,
    /** absolute end offset of this message */
    readonly end: number,
    /** message name used in error fields (`ModelProto.graph.initializer[3]`) */
    readonly path: string,
    readonly depth = 0,
  ) {
    if (depth > MAX_PROTO_DEPTH) throw this.error("", `messages nested deeper than ${MAX_PROTO_DEPTH}`);
  }

  /** True when the whole message has been consumed. */
  get done(): boolean { return this.r.offset >= this.end; }
  /** Absolute offset of the next byte. */
  get offset(): number { return this.r.offset; }

  /** A FormatError naming the file and `path.field`. */
  error(field: string, detail: string): FormatError {
    return new FormatError(this.r.src.name, field ? `${this.path}.${field}` : this.path, detail);
  }

  /** The next field key. Field number 0 is invalid. */
  async tag(): Promise<{ field: number; wireType: number }> {
    const key = await this.rawVarint("tag");
    const field = Number(key >> 3n);
    if (field === 0 || field > 0x1fffffff) throw this.error("tag", `invalid field number ${field}`);
    this.wire = Number(key & 7n);
    return { field, wireType: this.wire };
  }

  /** Throws unless the current field has wire type `w` (a malformed or foreign message). */
  private want(w: number, field: string): void {
    if (this.wire !== w) throw this.error(field, `wire type ${this.wire}, expected ${w}`);
  }

  /** A varint field value as a bigint. */
  async varint(field: string): Promise<bigint> {
    this.want(WireType.VARINT, field);
    return this.rawVarint(field);
  }

  /** A base-128 varint as a bigint (at most 10 bytes, inside this message). */
  private async rawVarint(field: string): Promise<bigint> {
    let v = 0n;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      if (this.r.offset >= this.end) throw this.error(field, `varint truncated at offset ${this.r.offset} (message ends at ${this.end})`);
      const b = await this.r.u8(`${this.path}.${field}`);
      v |= BigInt(b & 0x7f) << BigInt(7 * i);
      if (b < 0x80) return BigInt.asUintN(64, v);
    }
    throw this.error(field, `varint longer than ${MAX_VARINT_BYTES} bytes`);
  }

  /** A varint that must be a non-negative safe integer (sizes, enums, int32 fields). */
  async uint(field: string): Promise<number> {
    const v = await this.varint(field);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw this.error(field, `${v} is too large`);
    return Number(v);
  }

  /** An int64 varint (two's complement) as a bigint. */
  async int64(field: string): Promise<bigint> { return BigInt.asIntN(64, await this.varint(field)); }

  /** The length prefix of a LEN field, checked against the bytes left in this message. */
  async length(field: string): Promise<number> {
    this.want(WireType.LEN, field);
    const v = await this.rawVarint(`${field} length`);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw this.error(field, `length ${v} is too large`);
    const n = Number(v);
    const left = this.end - this.r.offset;
    if (n > left) throw this.error(field, `length ${n} runs past the end of its message (${left} bytes left at offset ${this.r.offset})`);
    return n;
  }

  /** A length-delimited sub-message, positioned at its first byte; the caller reads it to its end. */
  async sub(field: string): Promise<ProtoReader> {
    const n = await this.length(field);
    return new ProtoReader(this.r, this.r.offset + n, `${this.path}.${field}`, this.depth + 1);
  }

  /** A length-delimited UTF-8 string (bounded by MAX_STRING_BYTES). */
  async string(field: string): Promise<string> {
    const n = await this.length(field);
    if (n > MAX_STRING_BYTES) throw this.error(field, `string of ${n} bytes exceeds ${MAX_STRING_BYTES}`);
    return this.r.string(n, `${this.path}.${field}`);
  }

  /** Skips `n` bytes inside this message. */
  skipBytes(n: number, field: string): void {
    if (this.r.offset + n > this.end) throw this.error(field, `${n} bytes run past the end of the message`);
    this.r.skip(n, `${this.path}.${field}`);
  }

  /** Skips one field value of `wireType` (unknown fields, unneeded data). */
  async skip(wireType: number, field = "unknown field"): Promise<void> {
    switch (wireType) {
      case WireType.VARINT: await this.rawVarint(field); return;
      case WireType.I64: this.skipBytes(8, field); return;
      case WireType.I32: this.skipBytes(4, field); return;
      case WireType.LEN: this.skipBytes(await this.length(field), field); return;
      default: throw this.error(field, `unsupported wire type ${wireType}`);
    }
  }

  /** Skips whatever is left of this message (after the fields a parser wanted). */
  finish(): void {
    if (this.r.offset > this.end) throw this.error("", `read past the end of the message`);
    this.r.seek(this.end);
  }
}
