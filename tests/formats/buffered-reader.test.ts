import { describe, expect, it } from "vitest";
import { BufferedReader } from "../../lib/formats/buffered-reader.ts";
import { FormatError } from "../../lib/formats/errors.ts";
import type { ByteSource } from "../../lib/formats/types.ts";
import { blobSource } from "../../lib/formats/source-blob.ts";

/** A ByteSource over bytes that counts read() calls. */
function counting(bytes: Uint8Array<ArrayBuffer>): ByteSource & { reads: number } {
  const inner = blobSource(new Blob([bytes]), "mem.bin");
  const src = { name: inner.name, size: inner.size, reads: 0, close: inner.close,
    read: (o: number, n: number) => { src.reads++; return inner.read(o, n); } };
  return src;
}

function sample(): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(64);
  const dv = new DataView(b.buffer);
  dv.setUint8(0, 0xfe); dv.setUint16(1, 0xbeef, true); dv.setUint32(3, 0xdeadbeef, true); dv.setInt32(7, -5, true);
  dv.setBigUint64(11, 2n ** 53n - 1n, true); dv.setFloat32(19, 1.5, true); dv.setFloat64(23, -2.25, true);
  dv.setBigUint64(31, 2n ** 53n, true); b.set(new TextEncoder().encode("héllo"), 39); // 6 bytes
  b.set([0x96, 0x01], 45); // varint 150
  return b;
}

describe("BufferedReader", () => {
  it("BufferedReader reads little-endian fields in order from one window", async () => {
    const src = counting(sample());
    const r = new BufferedReader(src);
    expect(await r.u8("a")).toBe(0xfe);
    expect(await r.u16("b")).toBe(0xbeef);
    expect(await r.u32("c")).toBe(0xdeadbeef);
    expect(await r.i32("d")).toBe(-5);
    expect(await r.u64("e")).toBe(2 ** 53 - 1);
    expect(await r.f32("f")).toBe(1.5);
    expect(await r.f64("g")).toBe(-2.25);
    expect(r.offset).toBe(31);
    await expect(r.u64("too big")).rejects.toThrow(/mem\.bin: too big: 9007199254740992 is too large/);
    r.seek(39);
    expect(await r.string(6, "s")).toBe("héllo");
    expect(await r.varint("v")).toBe(150n);
    expect(src.reads).toBe(1);
  });

  it("BufferedReader fetches a new window as the offset advances past the old one", async () => {
    const bytes = new Uint8Array(1000).map((_, i) => i & 0xff);
    const src = counting(bytes);
    const r = new BufferedReader(src, 0, 100);
    for (let i = 0; i < 250; i++) expect(await r.u8("x")).toBe(i & 0xff);
    expect(src.reads).toBe(3);
    expect(await r.bytes(500, "big")).toEqual(bytes.subarray(250, 750)); // larger than a window: one direct read
    expect(src.reads).toBe(4);
    expect(r.remaining).toBe(250);
  });

  it("BufferedReader throws FormatError naming the field for a read past the end of the file", async () => {
    const r = new BufferedReader(counting(new Uint8Array(6)), 4);
    await expect(r.u32("tensor_count")).rejects.toThrow(FormatError);
    await expect(r.u32("tensor_count")).rejects.toThrow(/^mem\.bin: tensor_count: 4 bytes at offset 4 run past the end/);
    expect(() => r.skip(3, "pad")).toThrow(/pad/);
    await expect(r.bytes(-1, "len")).rejects.toThrow(/len: invalid length/);
  });

  it("BufferedReader.string(n) rejects invalid UTF-8 with FormatError", async () => {
    const r = new BufferedReader(counting(new Uint8Array([0xff, 0xfe])));
    await expect(r.string(2, "key")).rejects.toThrow(/key: invalid UTF-8/);
  });
});
