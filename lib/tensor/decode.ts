/**
 * Plain-TypeScript decoding of any DType to float32: the reference path (the WASM
 * kernels fuse f32/f16/bf16 decode with statistics and are checked against this)
 * and the only path for ggml quantized types. Input is little-endian, whole elements
 * (whole blocks for quantized types), any byte alignment.
 */
import { BLOCKS, type DType } from "./dtypes.ts";
import { dequantize, isGgmlQuant } from "./ggml-dequant.ts";
import { halfTable } from "./half.ts";

/** Number of values `bytes` holds as `dtype` (throws if not whole elements/blocks). */
function elementCount(dtype: DType, byteLength: number): number {
  const b = BLOCKS[dtype];
  if (byteLength % b.bytes !== 0) throw new RangeError(`decode: ${byteLength} bytes is not whole ${dtype} elements`);
  return (byteLength / b.bytes) * b.elements;
}

/** Decodes `bytes` of `dtype` to float32 (I64/F64 are rounded to the nearest float32). */
export function decodeToF32(dtype: DType, bytes: Uint8Array, out?: Float32Array): Float32Array {
  if (isGgmlQuant(dtype)) return dequantize(dtype, bytes, out);
  const n = elementCount(dtype, bytes.length);
  if (out && out.length < n) throw new RangeError(`decode: out holds ${out.length} values, need ${n}`);
  const y = out ? out.subarray(0, n) : new Float32Array(n);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case "F32":
      if (bytes.byteOffset % 4 === 0) y.set(new Float32Array(bytes.buffer, bytes.byteOffset, n));
      else for (let i = 0; i < n; i++) y[i] = dv.getFloat32(i * 4, true);
      break;
    case "F16": {
      const t = halfTable();
      for (let i = 0; i < n; i++) y[i] = t[bytes[2 * i]! | (bytes[2 * i + 1]! << 8)]!;
      break;
    }
    case "BF16": {
      const u = new Uint32Array(y.buffer, y.byteOffset, n); // bf16 = top 16 bits of an f32
      for (let i = 0; i < n; i++) u[i] = ((bytes[2 * i]! | (bytes[2 * i + 1]! << 8)) << 16) >>> 0;
      break;
    }
    case "F64":
      for (let i = 0; i < n; i++) y[i] = dv.getFloat64(i * 8, true);
      break;
    case "I8":
      for (let i = 0; i < n; i++) y[i] = (bytes[i]! << 24) >> 24;
      break;
    case "U8":
      y.set(bytes.subarray(0, n));
      break;
    case "I16":
      for (let i = 0; i < n; i++) y[i] = dv.getInt16(i * 2, true);
      break;
    case "I32":
      for (let i = 0; i < n; i++) y[i] = dv.getInt32(i * 4, true);
      break;
    case "I64":
      for (let i = 0; i < n; i++) y[i] = Number(dv.getBigInt64(i * 8, true));
      break;
  }
  return y;
}
