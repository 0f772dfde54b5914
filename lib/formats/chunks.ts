/**
 * Streams one tensor's bytes out of a ByteSource in bounded chunks, implementing the
 * `TensorSource.readRaw` contract for every reader: each chunk holds whole blocks of
 * the dtype (BLOCKS) and, when a row (the last dimension) fits in `chunkBytes`, whole rows.
 */
import { BLOCKS } from "../tensor/dtypes.ts";
import { FormatError } from "./errors.ts";
import { DEFAULT_CHUNK_BYTES, type ByteSource, type TensorInfo } from "./types.ts";

/** Bytes per chunk for `t`: a multiple of the row size when a row fits, else of the block size. */
export function chunkStride(t: TensorInfo, chunkBytes = DEFAULT_CHUNK_BYTES): number {
  const block = BLOCKS[t.dtype];
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes <= 0) {
    throw new FormatError(t.fileName, "chunkBytes", `${chunkBytes} is not a positive integer`);
  }
  const last = t.shape.length > 0 ? t.shape[t.shape.length - 1]! : 1;
  const rowBytes = last % block.elements === 0 ? (last / block.elements) * block.bytes : 0;
  if (rowBytes > 0 && rowBytes <= chunkBytes) return Math.floor(chunkBytes / rowBytes) * rowBytes;
  return Math.max(1, Math.floor(chunkBytes / block.bytes)) * block.bytes;
}

/**
 * The raw bytes of `t` (stored at `t.byteOffset` in `src`) as chunks of about `chunkBytes`.
 * The next chunk is fetched while the caller works on the current one.
 */
export async function* readTensorChunks(
  src: ByteSource,
  t: TensorInfo,
  chunkBytes = DEFAULT_CHUNK_BYTES,
): AsyncGenerator<Uint8Array> {
  const stride = chunkStride(t, chunkBytes);
  const fetchAt = (pos: number) => src.read(t.byteOffset + pos, Math.min(stride, t.byteLength - pos));
  let pos = 0;
  let next = t.byteLength > 0 ? fetchAt(0) : null;
  try {
    while (next) {
      const chunk = await next;
      pos += chunk.length;
      next = pos < t.byteLength ? fetchAt(pos) : null;
      yield chunk;
    }
  } finally {
    // The caller stopped early: the prefetched read must not become an unhandled rejection.
    next?.catch(() => undefined);
  }
}

/** The [offset within the tensor, length] of each chunk readTensorChunks would yield for `t`. */
export function chunkRanges(t: TensorInfo, chunkBytes = DEFAULT_CHUNK_BYTES): Array<[pos: number, length: number]> {
  const stride = chunkStride(t, chunkBytes);
  const out: Array<[number, number]> = [];
  for (let pos = 0; pos < t.byteLength; pos += stride) out.push([pos, Math.min(stride, t.byteLength - pos)]);
  return out;
}
