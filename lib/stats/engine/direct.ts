/**
 * Direct reads: when a tensor's raw bytes are one contiguous range of a shard that can fill a
 * caller's buffer (ByteSource.readInto: Node files, Blobs), chunks are read straight into wasm
 * memory (StatsAccumulator.reserveChunk) instead of going through readRaw's fresh buffers.
 */
import { chunkRanges } from "../../formats/chunks.ts";
import type { ByteSource, TensorInfo, TensorSource } from "../../formats/types.ts";

/**
 * Formats whose readRaw is readTensorChunks(shards[t.shard], t) (lib/formats/*.ts): their tensors
 * are the bytes [byteOffset, byteOffset + byteLength) of their shard. ONNX is not listed: its
 * inline tensors live in the protobuf, not at a shard offset.
 */
const CONTIGUOUS_FORMATS: ReadonlySet<string> = new Set(["safetensors", "gguf", "llama2c"]);

/** The shard to read `t` from with readInto, or null when readRaw must be used. */
export function directShard(source: TensorSource, t: TensorInfo): (ByteSource & Required<Pick<ByteSource, "readInto">>) | null {
  const shard = source.shards[t.shard];
  if (!CONTIGUOUS_FORMATS.has(source.format) || !shard?.readInto) return null;
  return shard as ByteSource & Required<Pick<ByteSource, "readInto">>;
}

/**
 * Reads `t` chunk by chunk (the chunks readRaw would yield) into buffers from `reserve`, calling
 * `commit(length)` for each in order; the next chunk's read is in flight while one is committed.
 */
export async function readDirect(shard: ByteSource & Required<Pick<ByteSource, "readInto">>, t: TensorInfo,
  reserve: (bytes: number) => Uint8Array, commit: (bytes: number) => void, signal?: AbortSignal, chunkBytes?: number): Promise<void> {
  const ranges = chunkRanges(t, chunkBytes);
  const start = (i: number) => {
    const [pos, len] = ranges[i]!;
    return shard.readInto(t.byteOffset + pos, reserve(len));
  };
  let next = ranges.length ? start(0) : null;
  try {
    for (let i = 0; i < ranges.length; i++) {
      await next;
      signal?.throwIfAborted();
      // reserve (which may grow memory) only once no read is in flight
      next = i + 1 < ranges.length ? start(i + 1) : null;
      commit(ranges[i]![1]);
    }
  } finally {
    next?.catch(() => undefined);
  }
}
