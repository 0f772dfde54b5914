/**
 * ggml's 256-element k-quant super-blocks, ported from `dequantize_row_q{2,3,4,5,6}_K`
 * in ggml/src/ggml-quants.c (ggml-org/llama.cpp). Each f32 arithmetic step is
 * wrapped in Math.fround so the output is bit-identical to the C code.
 *
 * Block structs (ggml-common.h, QK_K = 256), little-endian, no padding:
 *   block_q2_K { u8 scales[16]; u8 qs[64]; half d; half dmin; }                84 bytes
 *   block_q3_K { u8 hmask[32]; u8 qs[64]; u8 scales[12]; half d; }           110 bytes
 *   block_q4_K { half d; half dmin; u8 scales[12]; u8 qs[128]; }             144 bytes
 *   block_q5_K { half d; half dmin; u8 scales[12]; u8 qh[32]; u8 qs[128]; }  176 bytes
 *   block_q6_K { u8 ql[128]; u8 qh[64]; i8 scales[16]; half d; }             210 bytes
 */
import { readHalf } from "./half.ts";

const f = Math.fround;
const QK_K = 256;

/** ggml get_scale_min_k4: 6-bit scale and min number j (0..7) packed in 12 bytes at `q[o]`. */
function scaleMinK4(j: number, q: Uint8Array, o: number): [number, number] {
  if (j < 4) return [q[o + j]! & 63, q[o + j + 4]! & 63];
  return [
    (q[o + j + 4]! & 0x0f) | ((q[o + j - 4]! >> 6) << 4),
    (q[o + j + 4]! >> 4) | ((q[o + j]! >> 6) << 4),
  ];
}

/** Q2_K: 16 sub-blocks of 16, 4-bit scale and min each; y = d*sc * q - dmin*m. */
export function dequantizeQ2_K(x: Uint8Array, y: Float32Array): void {
  const nb = y.length / QK_K;
  let yi = 0;
  for (let i = 0, o = 0; i < nb; i++, o += 84) {
    const d = readHalf(x, o + 80);
    const min = readHalf(x, o + 82);
    let is = 0;
    for (let n = 0; n < QK_K; n += 128) {
      const q = o + 16 + n / 4; // qs: 32 bytes per 128 values
      for (let shift = 0; shift < 8; shift += 2) {
        for (let half = 0; half < 32; half += 16) {
          const sc = x[o + is++]!;
          const dl = f(d * (sc & 0x0f));
          const ml = f(min * (sc >> 4));
          for (let l = 0; l < 16; l++) y[yi++] = f(f(dl * ((x[q + half + l]! >> shift) & 3)) - ml);
        }
      }
    }
  }
}

/** Q3_K: 16 sub-blocks of 16, 6-bit signed scales, 2 low bits + 1 high bit (hmask) per value. */
export function dequantizeQ3_K(x: Uint8Array, y: Float32Array): void {
  const nb = y.length / QK_K;
  const scales = new Int8Array(16);
  const aux = new Uint32Array(scales.buffer);
  let yi = 0;
  for (let i = 0, o = 0; i < nb; i++, o += 110) {
    const dAll = readHalf(x, o + 108);
    // unpack the 12 scale bytes into 16 6-bit values (C: memcpy into uint32_t aux[4])
    const s = o + 96;
    const a0 = x[s]! | (x[s + 1]! << 8) | (x[s + 2]! << 16) | (x[s + 3]! << 24);
    const a1 = x[s + 4]! | (x[s + 5]! << 8) | (x[s + 6]! << 16) | (x[s + 7]! << 24);
    const tmp = x[s + 8]! | (x[s + 9]! << 8) | (x[s + 10]! << 16) | (x[s + 11]! << 24);
    const kmask1 = 0x03030303, kmask2 = 0x0f0f0f0f;
    aux[2] = ((a0 >>> 4) & kmask2) | (((tmp >>> 4) & kmask1) << 4);
    aux[3] = ((a1 >>> 4) & kmask2) | (((tmp >>> 6) & kmask1) << 4);
    aux[0] = (a0 & kmask2) | (((tmp >>> 0) & kmask1) << 4);
    aux[1] = (a1 & kmask2) | (((tmp >>> 2) & kmask1) << 4);
    let is = 0;
    let m = 1;
    for (let n = 0; n < QK_K; n += 128) {
      const q = o + 32 + n / 4;
      for (let shift = 0; shift < 8; shift += 2) {
        for (let half = 0; half < 32; half += 16) {
          const dl = f(dAll * (scales[is++]! - 32));
          for (let l = 0; l < 16; l++) {
            const hi = x[o + half + l]! & m ? 0 : 4; // hmask at block start
            y[yi++] = f(dl * (((x[q + half + l]! >> shift) & 3) - hi));
          }
        }
        m <<= 1;
      }
    }
  }
}

/** Q4_K: 8 sub-blocks of 32, 6-bit scale and min each; y = d*sc * q - dmin*m. */
export function dequantizeQ4_K(x: Uint8Array, y: Float32Array): void {
  const nb = y.length / QK_K;
  let yi = 0;
  for (let i = 0, o = 0; i < nb; i++, o += 144) {
    const d = readHalf(x, o);
    const min = readHalf(x, o + 2);
    let q = o + 16;
    for (let is = 0; is < 8; is += 2, q += 32) {
      const [sc1, m1] = scaleMinK4(is, x, o + 4);
      const [sc2, m2] = scaleMinK4(is + 1, x, o + 4);
      const d1 = f(d * sc1), mm1 = f(min * m1);
      const d2 = f(d * sc2), mm2 = f(min * m2);
      for (let l = 0; l < 32; l++) y[yi++] = f(f(d1 * (x[q + l]! & 0x0f)) - mm1);
      for (let l = 0; l < 32; l++) y[yi++] = f(f(d2 * (x[q + l]! >> 4)) - mm2);
    }
  }
}

/** Q5_K: as Q4_K with a 5th bit per value in qh. */
export function dequantizeQ5_K(x: Uint8Array, y: Float32Array): void {
  const nb = y.length / QK_K;
  let yi = 0;
  for (let i = 0, o = 0; i < nb; i++, o += 176) {
    const d = readHalf(x, o);
    const min = readHalf(x, o + 2);
    const qh = o + 16;
    let ql = o + 48;
    let u1 = 1, u2 = 2;
    for (let is = 0; is < 8; is += 2, ql += 32, u1 <<= 2, u2 <<= 2) {
      const [sc1, m1] = scaleMinK4(is, x, o + 4);
      const [sc2, m2] = scaleMinK4(is + 1, x, o + 4);
      const d1 = f(d * sc1), mm1 = f(min * m1);
      const d2 = f(d * sc2), mm2 = f(min * m2);
      for (let l = 0; l < 32; l++) y[yi++] = f(f(d1 * ((x[ql + l]! & 0x0f) + (x[qh + l]! & u1 ? 16 : 0))) - mm1);
      for (let l = 0; l < 32; l++) y[yi++] = f(f(d2 * ((x[ql + l]! >> 4) + (x[qh + l]! & u2 ? 16 : 0))) - mm2);
    }
  }
}

/** Q6_K: 16 sub-blocks of 16, int8 scales; 4 low bits in ql, 2 high bits in qh; y = d*sc * (q - 32). */
export function dequantizeQ6_K(x: Uint8Array, y: Float32Array): void {
  const nb = y.length / QK_K;
  for (let i = 0, o = 0; i < nb; i++, o += 210) {
    const d = readHalf(x, o + 208);
    let ql = o, qh = o + 128, sc = o + 192, yb = i * QK_K;
    for (let n = 0; n < QK_K; n += 128, ql += 64, qh += 32, sc += 8, yb += 128) {
      for (let l = 0; l < 32; l++) {
        const is = l >> 4;
        const h = x[qh + l]!;
        const q1 = ((x[ql + l]! & 0x0f) | (((h >> 0) & 3) << 4)) - 32;
        const q2 = ((x[ql + l + 32]! & 0x0f) | (((h >> 2) & 3) << 4)) - 32;
        const q3 = ((x[ql + l]! >> 4) | (((h >> 4) & 3) << 4)) - 32;
        const q4 = ((x[ql + l + 32]! >> 4) | (((h >> 6) & 3) << 4)) - 32;
        y[yb + l] = f(f(d * ((x[sc + is]! << 24) >> 24)) * q1);
        y[yb + l + 32] = f(f(d * ((x[sc + is + 2]! << 24) >> 24)) * q2);
        y[yb + l + 64] = f(f(d * ((x[sc + is + 4]! << 24) >> 24)) * q3);
        y[yb + l + 96] = f(f(d * ((x[sc + is + 6]! << 24) >> 24)) * q4);
      }
    }
  }
}
