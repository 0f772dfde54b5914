/**
 * Round trips for the 32-element types without a llama.cpp fixture (Q4_1, Q5_0, Q5_1):
 * quantize with TS ports of ggml's `quantize_row_*_ref` (ggml-quants.c), dequantize with
 * lib/tensor, and bound the error by half a step (a full step where _ref clamps), plus the
 * fp16 rounding of the block's d and m.
 */
import { describe, expect, it } from "vitest";
import { dequantize } from "../../lib/tensor/ggml-dequant.ts";
import { halfBitsToFloat } from "../../lib/tensor/half.ts";

/** fp16 keeps 11 significant bits: relative rounding error of d and m. */
const FP16_REL_ERROR = 2 ** -11;
const LENGTHS = [32, 64, 96, 32 * 7];

/** float32 → IEEE half bits, round to nearest even (finite inputs in half range). */
function halfBits(x: number): number {
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a === 0) return sign;
  let e = Math.floor(Math.log2(a));
  if (e < -14) e = -14; // subnormal range: fixed exponent
  let m = Math.round(a / 2 ** e * 1024); // Math.round: half-up; ties are vanishingly rare on these inputs
  if (m >= 2048) { m /= 2; e += 1; }
  if (m < 1024) return sign | m; // subnormal
  return sign | ((e + 15) << 10) | (m - 1024);
}

function putHalf(b: Uint8Array, o: number, x: number): void {
  const h = halfBits(x);
  b[o] = h & 0xff; b[o + 1] = h >> 8;
}

/** quantize_row_q4_1_ref / q5_1_ref: min/max per block, q = (x - min)/d rounded, 4 or 5 bits. */
function quantizeMin(x: Float32Array, bits: 4 | 5): Uint8Array {
  const nb = x.length / 32, size = bits === 4 ? 20 : 24, qmax = (1 << bits) - 1;
  const y = new Uint8Array(nb * size);
  for (let i = 0; i < nb; i++) {
    const v = x.subarray(i * 32, i * 32 + 32);
    const min = Math.min(...v), max = Math.max(...v);
    const d = (max - min) / qmax, id = d ? 1 / d : 0, o = i * size;
    putHalf(y, o, d); putHalf(y, o + 2, min);
    let qh = 0;
    const qs = o + (bits === 4 ? 4 : 8);
    for (let j = 0; j < 16; j++) {
      const q0 = Math.min(qmax, Math.trunc((v[j]! - min) * id + 0.5));
      const q1 = Math.min(qmax, Math.trunc((v[j + 16]! - min) * id + 0.5));
      y[qs + j] = (q0 & 15) | ((q1 & 15) << 4);
      qh |= ((q0 >> 4) & 1) << j; qh |= ((q1 >> 4) & 1) << (j + 16);
    }
    if (bits === 5) new DataView(y.buffer).setUint32(o + 4, qh >>> 0, true);
  }
  return y;
}

/** quantize_row_q5_0_ref: d = max / -16 (max = the signed value of largest magnitude), q in 0..31. */
function quantizeQ5_0(x: Float32Array): Uint8Array {
  const nb = x.length / 32;
  const y = new Uint8Array(nb * 22);
  for (let i = 0; i < nb; i++) {
    const v = x.subarray(i * 32, i * 32 + 32);
    let amax = 0, max = 0;
    for (const a of v) if (Math.abs(a) > amax) { amax = Math.abs(a); max = a; }
    const d = max / -16, id = d ? 1 / d : 0, o = i * 22;
    putHalf(y, o, d);
    let qh = 0;
    for (let j = 0; j < 16; j++) {
      const q0 = Math.min(31, Math.trunc(v[j]! * id + 16.5));
      const q1 = Math.min(31, Math.trunc(v[j + 16]! * id + 16.5));
      y[o + 6 + j] = (q0 & 15) | ((q1 & 15) << 4);
      qh |= ((q0 >> 4) & 1) << j; qh |= ((q1 >> 4) & 1) << (j + 16);
    }
    new DataView(y.buffer).setUint32(o + 2, qh >>> 0, true);
  }
  return y;
}

/** Deterministic input with a planted outlier per block: 0.1 + 2 cos(i + offset). */
const input = (n: number, offset: number) =>
  Float32Array.from({ length: n }, (_, i) => (i % 32 === 5 ? 9 : 0.1 + 2 * Math.cos(i + offset)));

describe("quantize_row_*_ref → dequantize round trips", () => {
  it("halfBits inverts halfBitsToFloat on every finite half", () => {
    for (let h = 0; h < 0x7c00; h++) expect(halfBits(halfBitsToFloat(h))).toBe(h);
  });

  for (const n of LENGTHS) {
    for (const [dtype, bits] of [["Q4_1", 4], ["Q5_1", 5]] as const) {
      it(`dequantize("${dtype}") of ${n} values is within half a step of the input`, () => {
        const x = input(n, n);
        const y = dequantize(dtype, quantizeMin(x, bits));
        for (let b = 0; b < n / 32; b++) {
          const v = x.subarray(b * 32, b * 32 + 32);
          const min = Math.min(...v), d = (Math.max(...v) - min) / ((1 << bits) - 1);
          const bound = d / 2 + ((1 << bits) * d + 2 * Math.abs(min)) * FP16_REL_ERROR;
          for (let j = 0; j < 32; j++) expect(Math.abs(y[b * 32 + j]! - v[j]!)).toBeLessThanOrEqual(bound);
        }
      });
    }

    it(`dequantize("Q5_0") of ${n} values is within a step of the input (half a step but where _ref clamps at 31)`, () => {
      const x = input(n, -n);
      const y = dequantize("Q5_0", quantizeQ5_0(x));
      for (let b = 0; b < n / 32; b++) {
        const v = x.subarray(b * 32, b * 32 + 32);
        const d = Math.max(...v.map(Math.abs)) / 16;
        for (let j = 0; j < 32; j++) {
          const err = Math.abs(y[b * 32 + j]! - v[j]!);
          const clamped = v[j]! / d * Math.sign(-v[5]!) > 15.5; // only the side opposite the planted max clamps
          expect(err).toBeLessThanOrEqual((clamped ? d : d / 2) + 17 * d * FP16_REL_ERROR);
        }
      }
    });
  }
});
