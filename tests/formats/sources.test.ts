import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FormatError } from "../../lib/formats/errors.ts";
import { blobSource } from "../../lib/formats/source-blob.ts";
import { openFileSource } from "../../lib/formats/source-node.ts";
import type { ByteSource } from "../../lib/formats/types.ts";
import { tmpDir } from "../helpers/make-safetensors.ts";

const DATA = new Uint8Array(300_000).map((_, i) => (i * 13 + 7) & 0xff);

/** The ByteSource contract, run once per implementation. */
function testByteSource(kind: string, open: () => Promise<ByteSource>): void {
  it(`${kind}: read(offset, length) returns exactly those bytes`, async () => {
    const src = await open();
    expect(src.size).toBe(DATA.length);
    expect(await src.read(0, 0)).toEqual(new Uint8Array(0));
    const got = await src.read(123_456, 100_000);
    expect(Buffer.from(got).equals(DATA.subarray(123_456, 223_456))).toBe(true); // toEqual is slow on 100k elements
    expect(await src.read(DATA.length - 1, 1)).toEqual(DATA.subarray(-1));
    await src.close();
  });

  it(`${kind}: read past the end or at a negative offset throws FormatError naming the file`, async () => {
    const src = await open();
    await expect(src.read(DATA.length - 10, 11)).rejects.toThrow(FormatError);
    await expect(src.read(DATA.length - 10, 11)).rejects.toThrow(new RegExp(`^${src.name}: read: .*truncated file`));
    await expect(src.read(-1, 2)).rejects.toThrow(FormatError);
    await expect(src.read(0.5, 2)).rejects.toThrow(FormatError);
    await src.close();
  });
}

describe("ByteSource implementations", () => {
  const dir = tmpDir("quantlens-src-");
  const path = join(dir, "data.bin");
  writeFileSync(path, DATA);
  testByteSource("openFileSource(path)", () => openFileSource(path));
  testByteSource("blobSource(blob)", async () => blobSource(new Blob([DATA]), "data.bin"));

  it("openFileSource(path) throws FormatError for a missing file and a folder", async () => {
    await expect(openFileSource(join(dir, "nope.bin"))).rejects.toThrow(/nope\.bin: open: /);
    await expect(openFileSource(dir)).rejects.toThrow(/open: not a regular file/);
  });

  it("blobSource(file) takes the File's name", () => {
    expect(blobSource(new File([DATA], "w.safetensors")).name).toBe("w.safetensors");
    expect(blobSource(new Blob([DATA])).name).toBe("blob");
  });
});
