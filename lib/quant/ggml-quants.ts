/**
 * ggml's reference quantizers (the llama.cpp peer files of bench/eval110m.ts are written with them), ported from
 * ggml/src/ggml-quants.c (quantize_row_q8_0_ref, quantize_row_q4_0_ref) with C's float semantics
 * (Math.fround per f32 step, roundf = half away from zero, (int8_t) = truncation). Blocks of 32:
 *   Q8_0: d (f16) + 32 x int8,  d = amax / 127, q = roundf(x / d)
 *   Q4_0: d (f16) + 16 bytes,   d = max / -8 (max: the value of largest |x|), q = min(15, (int8_t)(x / d + 8.5)),
 *         element j in the low nibble of byte j, element j + 16 in its high nibble
 * Checked in tests/quant/ggml-quants.test.ts against lib/tensor's dequantizers.
 */
const QK = 32;
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half bits of `v`, round to nearest even (ggml's GGML_FP32_TO_FP16 on CPUs with F16C). */
export function floatToHalfBits(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff, man = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (man ? 0x200 : 0); // Inf / NaN
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow
  if (e <= 0) {
    if (e < -10) return sign; // below half the smallest subnormal
    const m = man | 0x800000, shift = 14 - e;
    const half = 1 << (shift - 1), rest = m & ((1 << shift) - 1);
    let h = m >>> shift;
    if (rest > half || (rest === half && (h & 1))) h++;
    return sign | h;
  }
  let h = (e << 10) | (man >>> 13);
  const rest = man & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (h & 1))) h++; // a carry into the exponent is still right
  return sign | h;
}

const roundf = (v: number) => Math.sign(v) * Math.round(Math.abs(v));

/** Q8_0 blocks of `x` (length a multiple of 32). */
export function quantizeQ8_0(x: Float32Array): Uint8Array {
  const nb = x.length / QK, out = new Uint8Array(nb * (2 + QK)), dv = new DataView(out.buffer);
  for (let b = 0; b < nb; b++) {
    let amax = 0;
    for (let j = 0; j < QK; j++) amax = Math.max(amax, Math.abs(x[b * QK + j]!));
    const d = Math.fround(amax / 127), id = d ? Math.fround(1 / d) : 0;
    const o = b * (2 + QK);
    dv.setUint16(o, floatToHalfBits(d), true);
    for (let j = 0; j < QK; j++) dv.setInt8(o + 2 + j, roundf(Math.fround(x[b * QK + j]! * id)));
  }
  return out;
}

/** Q4_0 blocks of `x` (length a multiple of 32). */
export function quantizeQ4_0(x: Float32Array): Uint8Array {
  const nb = x.length / QK, out = new Uint8Array(nb * (2 + QK / 2)), dv = new DataView(out.buffer);
  for (let b = 0; b < nb; b++) {
    let amax = 0, max = 0;
    for (let j = 0; j < QK; j++) {
      const v = x[b * QK + j]!;
      if (amax < Math.abs(v)) { amax = Math.abs(v); max = v; }
    }
    const d = Math.fround(max / -8), id = d ? Math.fround(1 / d) : 0;
    const o = b * (2 + QK / 2);
    dv.setUint16(o, floatToHalfBits(d), true);
    for (let j = 0; j < QK / 2; j++) {
      const x0 = Math.fround(x[b * QK + j]! * id), x1 = Math.fround(x[b * QK + QK / 2 + j]! * id);
      const q0 = Math.min(15, Math.trunc(Math.fround(x0 + 8.5))), q1 = Math.min(15, Math.trunc(Math.fround(x1 + 8.5)));
      out[o + 2 + j] = q0 | (q1 << 4);
    }
  }
  return out;
}
