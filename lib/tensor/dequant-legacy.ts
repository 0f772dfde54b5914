/**
 * ggml's 32-element block formats, ported from `dequantize_row_q{4_0,4_1,5_0,5_1,8_0}`
 * in ggml/src/ggml-quants.c (ggml-org/llama.cpp). Each f32 arithmetic step is
 * wrapped in Math.fround so the output is bit-identical to the C code.
 *
 * Block structs (ggml-common.h), little-endian, no padding:
 *   block_q4_0 { half d; u8 qs[16]; }                   18 bytes
 *   block_q4_1 { half d; half m; u8 qs[16]; }           20 bytes
 *   block_q5_0 { half d; u8 qh[4]; u8 qs[16]; }         22 bytes
 *   block_q5_1 { half d; half m; u8 qh[4]; u8 qs[16]; } 24 bytes
 *   block_q8_0 { half d; i8 qs[32]; }                   34 bytes
 * Within a block, qs[j] low nibble is element j, high nibble element j + 16.
 */
import { readHalf } from "./half.ts";

const f = Math.fround;
const QK = 32;

/** Q4_0: y = (q - 8) * d. */
export function dequantizeQ4_0(x: Uint8Array, y: Float32Array): void {
  const nb = y.length / QK;
  for (let i = 0, o = 0; i < nb; i++, o += 18) {
    const d = readHalf(x, o);
    for (let j = 0; j < 16; j++) {
      const q = x[o + 2 + j]!;
      y[i * QK + j] = f(((q & 0x0f) - 8) * d);
      y[i * QK + j + 16] = f(((q >> 4) - 8) * d);
    }
  }
}

/** Q4_1: y = q * d + m. */
export function dequantizeQ4_1(x: Uint8Array, y: Float32Array): void {
  const nb = y.length / QK;
  for (let i = 0, o = 0; i < nb; i++, o += 20) {
    const d = readHalf(x, o);
    const m = readHalf(x, o + 2);
    for (let j = 0; j < 16; j++) {
      const q = x[o + 4 + j]!;
      y[i * QK + j] = f(f((q & 0x0f) * d) + m);
      y[i * QK + j + 16] = f(f((q >> 4) * d) + m);
    }
  }
}

/** Little-endian u32 at `x[o]`. */
function u32(x: Uint8Array, o: number): number {
  return (x[o]! | (x[o + 1]! << 8) | (x[o + 2]! << 16) | (x[o + 3]! << 24)) >>> 0;
}

/** Q5_0: 5th bit of element j in qh bit j; y = (q - 16) * d. */
export function dequantizeQ5_0(x: Uint8Array, y: Float32Array): void {
  const nb = y.length / QK;
  for (let i = 0, o = 0; i < nb; i++, o += 22) {
    const d = readHalf(x, o);
    const qh = u32(x, o + 2);
    for (let j = 0; j < 16; j++) {
      const xh0 = ((qh >>> j) << 4) & 0x10;
      const xh1 = (qh >>> (j + 12)) & 0x10;
      const q = x[o + 6 + j]!;
      y[i * QK + j] = f((((q & 0x0f) | xh0) - 16) * d);
      y[i * QK + j + 16] = f((((q >> 4) | xh1) - 16) * d);
    }
  }
}

/** Q5_1: y = q * d + m with the same 5th-bit layout as Q5_0. */
export function dequantizeQ5_1(x: Uint8Array, y: Float32Array): void {
  const nb = y.length / QK;
  for (let i = 0, o = 0; i < nb; i++, o += 24) {
    const d = readHalf(x, o);
    const m = readHalf(x, o + 2);
    const qh = u32(x, o + 4);
    for (let j = 0; j < 16; j++) {
      const xh0 = ((qh >>> j) << 4) & 0x10;
      const xh1 = (qh >>> (j + 12)) & 0x10;
      const q = x[o + 8 + j]!;
      y[i * QK + j] = f(f(((q & 0x0f) | xh0) * d) + m);
      y[i * QK + j + 16] = f(f(((q >> 4) | xh1) * d) + m);
    }
  }
}

/** Q8_0: y = q * d, q signed. */
export function dequantizeQ8_0(x: Uint8Array, y: Float32Array): void {
  const nb = y.length / QK;
  const qs = new Int8Array(x.buffer, x.byteOffset, x.length);
  for (let i = 0, o = 0; i < nb; i++, o += 34) {
    const d = readHalf(x, o);
    for (let j = 0; j < QK; j++) y[i * QK + j] = f(qs[o + 2 + j]! * d);
  }
}
