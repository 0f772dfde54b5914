/**
 * ggml dequantizers against an independent float64 oracle written per element from the
 * block layouts (ggml-common.h; packing as the `quantize_row_*_ref` functions write it),
 * not from the dequantize loops. Scales chosen as powers of two make every product exact,
 * so those cases compare exactly; random fp16 scales compare within MAX_ORACLE_REL_ERROR.
 * Q8_0, Q4_0, Q4_K and Q6_K are also checked on llama.cpp-written files (gguf.test.ts).
 */
import { describe, expect, it } from "vitest";
import { dequantize } from "../../lib/tensor/ggml-dequant.ts";
import { halfBitsToFloat } from "../../lib/tensor/half.ts";
import { BLOCKS, type GgmlQuantDType } from "../../lib/tensor/dtypes.ts";
import { mulberry32 } from "../../lib/tensor/prng.ts";

/** f32 rounding of each step vs one float64 evaluation: a few ulps of the largest term. */
const MAX_ORACLE_REL_ERROR = 1e-6;

const h = (b: Uint8Array, o: number) => halfBitsToFloat(b[o]! | (b[o + 1]! << 8));
const i8 = (v: number) => (v << 24) >> 24;
const u32 = (b: Uint8Array, o: number) => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
const nib = (b: Uint8Array, o: number, j: number) => (j < 16 ? b[o + j]! & 15 : b[o + j - 16]! >> 4);

/** 6-bit scale/min pair `j` of the 12-byte k-quant scales (inverse of quantize_row_q4_K_ref's packing). */
function scaleMin(s: Uint8Array, o: number, j: number): [number, number] {
  if (j < 4) return [s[o + j]! & 63, s[o + j + 4]! & 63];
  return [(s[o + j + 4]! & 15) | ((s[o + j - 4]! >> 6) << 4), (s[o + j + 4]! >> 4) | ((s[o + j]! >> 6) << 4)];
}

/** Element `e` of one block at `b[o]`, in float64. */
const ORACLE: Record<GgmlQuantDType, (b: Uint8Array, o: number, e: number) => number> = {
  Q4_0: (b, o, e) => (nib(b, o + 2, e) - 8) * h(b, o),
  Q4_1: (b, o, e) => nib(b, o + 4, e) * h(b, o) + h(b, o + 2),
  Q5_0: (b, o, e) => ((nib(b, o + 6, e) | (((u32(b, o + 2) >>> e) & 1) << 4)) - 16) * h(b, o),
  Q5_1: (b, o, e) => (nib(b, o + 8, e) | (((u32(b, o + 4) >>> e) & 1) << 4)) * h(b, o) + h(b, o + 2),
  Q8_0: (b, o, e) => i8(b[o + 2 + e]!) * h(b, o),
  Q2_K: (b, o, e) => {
    const n = e >> 7, j = (e & 127) >> 5, part = (e & 31) >> 4, l = e & 15;
    const sc = b[o + n * 8 + j * 2 + part]!;
    const q = (b[o + 16 + n * 32 + part * 16 + l]! >> (2 * j)) & 3;
    return h(b, o + 80) * (sc & 15) * q - h(b, o + 82) * (sc >> 4);
  },
  Q3_K: (b, o, e) => {
    const n = e >> 7, j = (e & 127) >> 5, part = (e & 31) >> 4, l = e & 15;
    const is = n * 8 + j * 2 + part, s = o + 96;
    const lo = is < 8 ? b[s + is]! & 15 : b[s + is - 8]! >> 4;
    const sc = (lo | (((b[s + 8 + (is % 4)]! >> (2 * Math.floor(is / 4))) & 3) << 4)) - 32;
    const q2 = (b[o + 32 + n * 32 + part * 16 + l]! >> (2 * j)) & 3;
    const hi = (b[o + part * 16 + l]! >> (n * 4 + j)) & 1;
    return h(b, o + 108) * sc * (q2 - (hi ? 0 : 4));
  },
  Q4_K: (b, o, e) => {
    const g = e >> 6, part = (e & 63) >> 5, l = e & 31;
    const [sc, m] = scaleMin(b, o + 4, 2 * g + part);
    const byte = b[o + 16 + g * 32 + l]!;
    return h(b, o) * sc * (part ? byte >> 4 : byte & 15) - h(b, o + 2) * m;
  },
  Q5_K: (b, o, e) => {
    const g = e >> 6, part = (e & 63) >> 5, l = e & 31;
    const [sc, m] = scaleMin(b, o + 4, 2 * g + part);
    const byte = b[o + 48 + g * 32 + l]!;
    const hi = (b[o + 16 + l]! >> (2 * g + part)) & 1;
    return h(b, o) * sc * ((part ? byte >> 4 : byte & 15) + 16 * hi) - h(b, o + 2) * m;
  },
  Q6_K: (b, o, e) => {
    const n = e >> 7, k = (e & 127) >> 5, l = e & 31;
    const qlByte = b[o + n * 64 + (k & 1) * 32 + l]!;
    const lo = k < 2 ? qlByte & 15 : qlByte >> 4;
    const hi = (b[o + 128 + n * 32 + l]! >> (2 * k)) & 3;
    const sc = i8(b[o + 192 + n * 8 + (l >> 4) + 2 * k]!);
    return h(b, o + 208) * sc * ((lo | (hi << 4)) - 32);
  },
};

/** Byte offsets of each fp16 scale field in a block. */
const HALVES: Record<GgmlQuantDType, number[]> = {
  Q4_0: [0], Q4_1: [0, 2], Q5_0: [0], Q5_1: [0, 2], Q8_0: [0],
  Q2_K: [80, 82], Q3_K: [108], Q4_K: [0, 2], Q5_K: [0, 2], Q6_K: [208],
};

/** `nb` random blocks; fp16 fields set by `half()`. */
function blocks(dtype: GgmlQuantDType, nb: number, seed: number, half: (r: () => number) => number): Uint8Array {
  const r = mulberry32(seed);
  const { bytes } = BLOCKS[dtype];
  const b = new Uint8Array(nb * bytes).map(() => Math.floor(r() * 256));
  for (let i = 0; i < nb; i++) {
    for (const o of HALVES[dtype]) { const v = half(r); b[i * bytes + o] = v & 0xff; b[i * bytes + o + 1] = v >> 8; }
  }
  return b;
}

function oracle(dtype: GgmlQuantDType, b: Uint8Array): Float64Array {
  const { bytes, elements } = BLOCKS[dtype];
  const nb = b.length / bytes;
  const y = new Float64Array(nb * elements);
  for (let i = 0; i < nb; i++) for (let e = 0; e < elements; e++) y[i * elements + e] = ORACLE[dtype](b, i * bytes, e);
  return y;
}

const TYPES = Object.keys(HALVES) as GgmlQuantDType[];
/** Powers of two 2^-4..2^1 and their negatives: every product in the oracle is exact. */
const POW2 = [0x2c00, 0x3000, 0x3400, 0x3800, 0x3c00, 0x4000, 0xb400, 0xb800];

describe("dequantize(dtype, bytes)", () => {
  for (const dtype of TYPES) {
    it(`dequantize("${dtype}") equals the per-element oracle exactly with power-of-two scales`, () => {
      const b = blocks(dtype, 5, 17, (r) => POW2[Math.floor(r() * POW2.length)]!);
      expect(Array.from(dequantize(dtype, b))).toEqual(Array.from(oracle(dtype, b)));
    });
    it(`dequantize("${dtype}") matches the oracle within MAX_ORACLE_REL_ERROR with random fp16 scales`, () => {
      // random finite halves in [2^-14, 2^4): exponent 1..18
      const b = blocks(dtype, 7, 91, (r) => (Math.floor(r() * 18 + 1) << 10) | Math.floor(r() * 1024) | (r() < 0.3 ? 0x8000 : 0));
      const got = dequantize(dtype, b);
      const want = oracle(dtype, b);
      const scale = Math.max(...want.map(Math.abs));
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(MAX_ORACLE_REL_ERROR * scale);
    });
  }

  it("dequantize(\"Q4_1\") of one hand-built block: q*d + m", () => {
    const b = new Uint8Array(20);
    b.set([0x00, 0x38, 0x00, 0xbc], 0); // d = 0.5, m = -1
    b[4] = 0x3a; // element 0: q=10 -> 4; element 16: q=3 -> 0.5
    b[19] = 0xf0; // element 15: q=0 -> -1; element 31: q=15 -> 6.5
    const y = dequantize("Q4_1", b);
    expect([y[0], y[16], y[15], y[31], y[1]]).toEqual([4, 0.5, -1, 6.5, -1]);
  });

  it("dequantize(\"Q5_0\") takes element j's fifth bit from qh bit j", () => {
    const b = new Uint8Array(22);
    b.set([0x00, 0x3c], 0); // d = 1
    b.set([0x01, 0x00, 0x01, 0x80], 2); // qh bits 0, 16, 31
    const y = dequantize("Q5_0", b);
    expect([y[0], y[1], y[16], y[31], y[17]]).toEqual([0, -16, 0, 0, -16]);
  });

  it("dequantize(\"Q5_1\") of one hand-built block: q*d + m with 5-bit q", () => {
    const b = new Uint8Array(24);
    b.set([0x00, 0x34, 0x00, 0x40], 0); // d = 0.25, m = 2
    b.set([0x00, 0x00, 0x00, 0x80], 4); // qh bit 31 -> element 31 high
    b[8 + 15] = 0xf7; // element 15: q=7 -> 3.75; element 31: q=15|16=31 -> 9.75
    const y = dequantize("Q5_1", b);
    expect([y[15], y[31], y[0]]).toEqual([3.75, 9.75, 2]);
  });

  it("dequantize(\"Q2_K\") of one hand-built block: d*scale*q - dmin*min per 16 values", () => {
    const b = new Uint8Array(84);
    b[0] = 0x23; // sub-block 0: scale 3, min 2
    b[16] = 0b11_10_01_11; // elements 0, 32, 64, 96 hold q 3, 1, 2, 3
    b[2] = 0x01; // sub-block 2 (elements 32..47): scale 1, min 0
    b.set([0x00, 0x38, 0x00, 0x34], 80); // d = 0.5, dmin = 0.25
    const y = dequantize("Q2_K", b);
    expect(y[0]).toBe(0.5 * 3 * 3 - 0.25 * 2);
    expect(y[32]).toBe(0.5 * 1 * 1);
    expect(y[1]).toBe(-0.5); // q = 0 in sub-block 0
  });

  it("dequantize(\"Q3_K\") of one hand-built block: signed 6-bit scales, hmask bit set = no -4", () => {
    const b = new Uint8Array(110);
    b[96] = 0x01; b[104] = 0x02; // scale 0: low 4 bits 1, high 2 bits 2 -> 33 - 32 = 1
    b[32] = 0x03; // element 0: low bits 3
    b[0] = 0x01; // hmask bit 0 of byte 0: element 0 high bit set -> q = 3
    b.set([0x00, 0x40], 108); // d = 2
    const y = dequantize("Q3_K", b);
    expect(y[0]).toBe(2 * 1 * 3);
    expect(y[1]).toBe(2 * 1 * -4); // q2 = 0, high bit clear
    expect(y[16]).toBe(2 * -32 * -4); // scale 1 = 0 - 32
  });

  it("dequantize(\"Q5_K\") of one hand-built block: 6-bit scales/mins and a fifth bit from qh", () => {
    const b = new Uint8Array(176);
    b.set([0x00, 0x3c, 0x00, 0x38], 0); // d = 1, dmin = 0.5
    b[4] = 2; b[8] = 4; // scale 0 = 2, min 0 = 4
    b[4 + 1] = 1; b[8 + 1] = 0; // scale 1 = 1, min 1 = 0
    b[16] = 0b11; // element 0 and element 32 get +16
    b[48] = 0x5a; // element 0: low 10; element 32: high nibble 5
    const y = dequantize("Q5_K", b);
    expect(y[0]).toBe(2 * 26 - 0.5 * 4);
    expect(y[32]).toBe(1 * 21);
    expect(y[1]).toBe(-2);
  });

  it("dequantize rejects a byte count that is not whole blocks", () => {
    expect(() => dequantize("Q4_K", new Uint8Array(145))).toThrow(/whole number/);
    expect(() => dequantize("F32" as GgmlQuantDType, new Uint8Array(4))).toThrow(/not a ggml block type/);
  });

  it("dequantize writes into `out` and returns a view of the filled part", () => {
    const out = new Float32Array(100).fill(7);
    const b = blocks("Q8_0", 2, 3, () => 0x3c00);
    const y = dequantize("Q8_0", b, out);
    expect(y.length).toBe(64);
    expect(y.buffer).toBe(out.buffer);
    expect(out[64]).toBe(7);
  });
});
