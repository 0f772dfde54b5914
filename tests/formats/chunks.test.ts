import { describe, expect, it } from "vitest";
import { chunkStride, readTensorChunks } from "../../lib/formats/chunks.ts";
import { blobSource } from "../../lib/formats/source-blob.ts";
import type { TensorInfo } from "../../lib/formats/types.ts";
import { byteLengthOf, type DType } from "../../lib/tensor/dtypes.ts";

function info(dtype: DType, shape: number[], byteOffset = 3): TensorInfo {
  const numel = shape.reduce((a, b) => a * b, 1);
  return { name: "t", fileName: "t", dtype, shape, numel, shard: 0, byteOffset, byteLength: byteLengthOf(dtype, numel) };
}

async function collect(t: TensorInfo, chunkBytes: number, data: Uint8Array<ArrayBuffer>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const c of readTensorChunks(blobSource(new Blob([data]), "t.bin"), t, chunkBytes)) out.push(c);
  return out;
}

describe("readTensorChunks", () => {
  const data = new Uint8Array(100_000).map((_, i) => (i * 31) & 0xff);

  for (const cols of [1, 2, 3, 5, 7, 8, 15, 16, 17, 31, 33, 63, 67, 127]) {
    it(`readTensorChunks(src, F32 [9, ${cols}], 100) gives whole rows and every byte once`, async () => {
      const t = info("F32", [9, cols]);
      const chunks = await collect(t, 100, data);
      const row = cols * 4;
      for (const c of chunks.slice(0, -1)) expect(c.length % (row <= 100 ? row : 4)).toBe(0);
      expect(chunks.every((c) => c.length <= Math.max(100, 4))).toBe(true);
      const joined = new Uint8Array(chunks.flatMap((c) => [...c]));
      expect(joined).toEqual(data.subarray(3, 3 + t.byteLength));
    });
  }

  it("readTensorChunks(src, Q4_0 tensor) keeps 18-byte blocks whole when a row is larger than a chunk", async () => {
    const t = info("Q4_0", [2, 32 * 10]); // rows of 180 bytes
    expect(chunkStride(t, 100)).toBe(90);
    const chunks = await collect(t, 100, data);
    expect(chunks.map((c) => c.length)).toEqual([90, 90, 90, 90]);
    expect(chunkStride(t, 10)).toBe(18); // at least one block
  });

  it("readTensorChunks(src, scalar and empty tensors) yields one chunk and none", async () => {
    expect((await collect(info("F64", []), 100, data)).map((c) => c.length)).toEqual([8]);
    expect(await collect(info("F32", [0, 4]), 100, data)).toEqual([]);
  });

  it("readTensorChunks(src, t) stops cleanly when the caller breaks early", async () => {
    const t = info("F32", [100, 100]);
    let n = 0;
    for await (const _ of readTensorChunks(blobSource(new Blob([new Uint8Array(40_003)]), "t.bin"), t, 400)) if (++n === 2) break;
    expect(n).toBe(2);
  });

  it("readTensorChunks(src, t) throws FormatError when the tensor runs past the end of the file", async () => {
    await expect(collect(info("F32", [100, 100]), 4096, new Uint8Array(1000))).rejects.toThrow(/t\.bin: read: .*past the end/);
  });
});
