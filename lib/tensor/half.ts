/**
 * IEEE 754 binary16 and bfloat16 to float32, bit-exact (subnormals, ±inf, NaN), as
 * ggml's GGML_FP16_TO_FP32 / GGML_BF16_TO_FP32 do.
 */

let table: Float32Array | null = null;

/** float32 value of an IEEE half given as its 16 bits (pure arithmetic, no table). */
export function halfBitsToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24; // zero or subnormal: frac * 2^-14 / 1024
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** All 65536 halves as float32; built once (256 KiB) on first use. */
export function halfTable(): Float32Array {
  if (!table) {
    table = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) table[h] = halfBitsToFloat(h);
  }
  return table;
}

/** float32 value of the little-endian half at `bytes[off]`. */
export function readHalf(bytes: Uint8Array, off: number): number {
  return halfTable()[bytes[off]! | (bytes[off + 1]! << 8)]!;
}

const bf16Scratch = new Uint32Array(1);
const bf16View = new Float32Array(bf16Scratch.buffer);

/** float32 value of a bfloat16 given as its 16 bits (the top half of an f32). */
export function bf16BitsToFloat(b: number): number {
  bf16Scratch[0] = b << 16;
  return bf16View[0]!;
}
