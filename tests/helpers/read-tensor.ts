/** Reads a whole tensor through TensorSource.readRaw (in small chunks, to exercise chunking). */
import { expect } from "vitest";
import type { TensorInfo, TensorSource } from "../../lib/formats/types.ts";
import { decodeToF32 } from "../../lib/tensor/decode.ts";

/** The tensor's raw bytes, concatenated from readRaw chunks of about `chunkBytes`. */
export async function tensorBytes(s: TensorSource, t: TensorInfo, chunkBytes = 64 * 1024): Promise<Uint8Array> {
  const out = new Uint8Array(t.byteLength);
  let o = 0;
  for await (const c of s.readRaw(t, chunkBytes)) { out.set(c, o); o += c.length; }
  expect(o).toBe(t.byteLength);
  return out;
}

/** The tensor decoded to float32. */
export async function tensorF32(s: TensorSource, t: TensorInfo): Promise<Float32Array> {
  return decodeToF32(t.dtype, await tensorBytes(s, t));
}

/** A [rows, cols] row-major matrix transposed to [cols, rows] (the library's own, lib/tensor/matrix.ts). */
export { transpose } from "../../lib/tensor/matrix.ts";

/** llama2.c q/k rows → Hugging Face rotate-half order: per head, even rows then odd rows. */
export function permuteRows(x: Float32Array, rows: number, cols: number, headDim: number): Float32Array {
  const y = new Float32Array(x.length);
  for (let r = 0; r < rows; r++) {
    const h = Math.floor(r / headDim), i = r % headDim, half = headDim / 2;
    const src = h * headDim + (i < half ? 2 * i : 2 * (i - half) + 1);
    y.set(x.subarray(src * cols, (src + 1) * cols), r * cols);
  }
  return y;
}
