/**
 * A little-endian cursor over a ByteSource for parsing headers (GGUF, safetensors, ONNX).
 * It fetches windows of READ_WINDOW_BYTES as `offset` advances, so a header costs a few
 * range reads, not one per field. Every read names its field: a read past the end of the
 * file throws `FormatError(src.name, field, ...)`.
 *
 *     const r = new BufferedReader(src);
 *     const magic = await r.u32("magic");
 *     const n = await r.u64("tensor_count");   // a number; throws if above 2^53
 *     const name = await r.string(len, "tensor name");
 */
import { FormatError } from "./errors.ts";
import type { ByteSource } from "./types.ts";

/** Bytes fetched per window: one window covers most model headers' small fields. */
export const READ_WINDOW_BYTES = 64 * 1024;
/** A protobuf varint is at most 10 bytes (64 bits, 7 per byte). */
const MAX_VARINT_BYTES = 10;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Chunked little-endian cursor over a ByteSource; see the file comment for use. */
export class BufferedReader {
  private win: Uint8Array = new Uint8Array(0);
  private winStart = 0;
  private view = new DataView(this.win.buffer);
  private pos: number;

  constructor(readonly src: ByteSource, offset = 0, private readonly windowBytes = READ_WINDOW_BYTES) {
    this.pos = offset;
  }

  /** Absolute position of the next read. */
  get offset(): number { return this.pos; }
  /** Bytes between the cursor and the end of the file. */
  get remaining(): number { return this.src.size - this.pos; }
  /** Moves the cursor to an absolute offset (checked on the next read). */
  seek(off: number): void { this.pos = off; }
  /** Advances the cursor by `n` bytes, throwing if that passes the end of the file. */
  skip(n: number, field: string): void {
    this.check(n, field);
    this.pos += n;
  }

  async u8(field: string): Promise<number> { return (await this.at(1, field)).getUint8(this.rel(1)); }
  async i8(field: string): Promise<number> { return (await this.at(1, field)).getInt8(this.rel(1)); }
  async u16(field: string): Promise<number> { return (await this.at(2, field)).getUint16(this.rel(2), true); }
  async i16(field: string): Promise<number> { return (await this.at(2, field)).getInt16(this.rel(2), true); }
  async u32(field: string): Promise<number> { return (await this.at(4, field)).getUint32(this.rel(4), true); }
  async i32(field: string): Promise<number> { return (await this.at(4, field)).getInt32(this.rel(4), true); }
  async f32(field: string): Promise<number> { return (await this.at(4, field)).getFloat32(this.rel(4), true); }
  async f64(field: string): Promise<number> { return (await this.at(8, field)).getFloat64(this.rel(8), true); }
  async u64n(field: string): Promise<bigint> { return (await this.at(8, field)).getBigUint64(this.rel(8), true); }
  async i64n(field: string): Promise<bigint> { return (await this.at(8, field)).getBigInt64(this.rel(8), true); }

  /** u64 as a number; throws FormatError when it is above Number.MAX_SAFE_INTEGER. */
  async u64(field: string): Promise<number> { return this.safe(await this.u64n(field), field); }
  /** i64 as a number; throws FormatError when it is outside the safe integer range. */
  async i64(field: string): Promise<number> { return this.safe(await this.i64n(field), field); }

  /** The next `n` bytes (a view; do not mutate). Reads beyond one window go straight to the source. */
  async bytes(n: number, field: string): Promise<Uint8Array> {
    this.check(n, field);
    if (n > this.windowBytes && !this.inWindow(n)) {
      const out = await this.src.read(this.pos, n);
      this.pos += n;
      return out;
    }
    await this.fill(n);
    const start = this.pos - this.winStart;
    this.pos += n;
    return this.win.subarray(start, start + n);
  }

  /** The next `n` bytes decoded as UTF-8; invalid UTF-8 throws FormatError. */
  async string(n: number, field: string): Promise<string> {
    const b = await this.bytes(n, field);
    try {
      return utf8.decode(b);
    } catch {
      throw new FormatError(this.src.name, field, `invalid UTF-8 in ${n}-byte string at offset ${this.pos - n}`);
    }
  }

  /** A protobuf base-128 varint (up to 64 bits) as a bigint. */
  async varint(field: string): Promise<bigint> {
    let v = 0n;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      const b = await this.u8(field);
      v |= BigInt(b & 0x7f) << BigInt(7 * i);
      if (b < 0x80) return BigInt.asUintN(64, v);
    }
    throw new FormatError(this.src.name, field, `varint longer than ${MAX_VARINT_BYTES} bytes at offset ${this.pos}`);
  }

  private check(n: number, field: string): void {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new FormatError(this.src.name, field, `invalid length ${n}`);
    }
    if (!Number.isSafeInteger(this.pos) || this.pos < 0 || this.pos + n > this.src.size) {
      throw new FormatError(this.src.name, field,
        `${n} bytes at offset ${this.pos} run past the end of the file (size ${this.src.size})`);
    }
  }

  private inWindow(n: number): boolean {
    return this.pos >= this.winStart && this.pos + n <= this.winStart + this.win.length;
  }

  private async fill(n: number): Promise<void> {
    if (this.inWindow(n)) return;
    const len = Math.min(Math.max(n, this.windowBytes), this.src.size - this.pos);
    this.win = await this.src.read(this.pos, len);
    this.winStart = this.pos;
    this.view = new DataView(this.win.buffer, this.win.byteOffset, this.win.byteLength);
  }

  /** Ensures `n` bytes at the cursor are in the window and returns the window's view. */
  private async at(n: number, field: string): Promise<DataView> {
    this.check(n, field);
    await this.fill(n);
    return this.view;
  }

  /** Offset inside the window of the value just ensured, advancing the cursor past it. */
  private rel(n: number): number {
    const r = this.pos - this.winStart;
    this.pos += n;
    return r;
  }

  private safe(v: bigint, field: string): number {
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new FormatError(this.src.name, field, `${v} is too large (above 2^53)`);
    }
    return Number(v);
  }
}
