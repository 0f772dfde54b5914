/** ByteSource.readInto(offset, dest) of the file and Blob sources: same bytes and errors as read, into the caller's buffer. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FormatError } from "../../lib/formats/errors.ts";
import { blobSource } from "../../lib/formats/source-blob.ts";
import { openFileSource } from "../../lib/formats/source-node.ts";
import type { ByteSource } from "../../lib/formats/types.ts";
import { tmpDir } from "../helpers/make-safetensors.ts";

const DATA = new Uint8Array(300_000).map((_, i) => (i * 31 + 5) & 0xff);

function testReadInto(kind: string, open: () => Promise<ByteSource>): void {
  it(`${kind}: readInto(offset, dest) fills a view of a larger (shared) buffer with exactly those bytes`, async () => {
    const src = await open();
    const shared = new Uint8Array(new SharedArrayBuffer(200_016));
    await src.readInto!(123_456, shared.subarray(16, 16 + 100_000));
    expect(shared.subarray(16, 16 + 100_000)).toEqual(DATA.subarray(123_456, 223_456));
    expect(shared[15]).toBe(0);
    expect(shared[16 + 100_000]).toBe(0);
    await src.readInto!(0, new Uint8Array(0));
    await src.close();
  });

  it(`${kind}: readInto past the end throws FormatError, as read does`, async () => {
    const src = await open();
    await expect(src.readInto!(DATA.length - 10, new Uint8Array(11))).rejects.toThrow(FormatError);
    await src.close();
  });
}

describe("ByteSource.readInto", () => {
  const dir = tmpDir();
  const path = join(dir, "data.bin");
  writeFileSync(path, DATA);
  testReadInto("openFileSource", () => openFileSource(path));
  testReadInto("blobSource", async () => blobSource(new Blob([DATA])));
});
