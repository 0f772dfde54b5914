/** An in-memory TensorSource over one buffer (synthetic models in tests and the bench): readRaw yields whole-row chunks as views. */
import type { TensorInfo, TensorSource } from "./types.ts";
import type { DType } from "../tensor/dtypes.ts";

/** TensorInfo of a tensor held in memory. */
export function memoryTensor(name: string, dtype: DType, shape: number[], byteLength: number): TensorInfo {
  const numel = shape.reduce((a, b) => a * b, 1);
  return { name, fileName: name, dtype, shape, numel, shard: 0, byteOffset: 0, byteLength };
}

/** A source holding tensors whose bytes live in `data` (by TensorInfo.name); chunks are views, not copies. */
export function memorySource(data: Map<string, Uint8Array>, tensors: TensorInfo[], chunkBytes = 4 << 20): TensorSource {
  return {
    format: "safetensors", name: "memory", tensors, config: { architecture: "test" }, metadata: {}, shards: [],
    async *readRaw(t: TensorInfo, size = chunkBytes): AsyncIterable<Uint8Array> {
      const bytes = data.get(t.name)!;
      const esz = t.numel ? bytes.length / t.numel : 1;
      const row = t.shape.length >= 2 ? t.shape[t.shape.length - 1]! * esz : esz;
      // whole rows when a row fits, else whole elements (the TensorSource chunk contract)
      const step = row <= size ? Math.max(row, Math.floor(size / row) * row) : Math.max(esz, Math.floor(size / esz) * esz);
      for (let o = 0; o < bytes.length; o += step) yield bytes.subarray(o, Math.min(bytes.length, o + step));
    },
    async close() {},
  };
}

/** A single-tensor source over f32 values (shape defaults to [x.length]). */
export function f32Source(x: Float32Array, shape: number[] = [x.length], chunkBytes?: number): { source: TensorSource; t: TensorInfo } {
  const t = memoryTensor("x", "F32", shape, x.byteLength);
  return { source: memorySource(new Map([["x", new Uint8Array(x.buffer, x.byteOffset, x.byteLength)]]), [t], chunkBytes), t };
}
