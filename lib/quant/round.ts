/**
 * Float32 quantization arithmetic, step for step as Qllm-Eval's pseudo_quantize_tensor (llm-awq
 * quantizer.py) computes it in torch float32: every step is wrapped in Math.fround, rounding is
 * half to even (torch.round). Asymmetric:
 *   scale = max(max - min, 1e-5) / (2^b - 1);  zero = clamp(-round(min / scale), 0, 2^b - 1)
 *   code = clamp(round(x / scale) + zero, 0, 2^b - 1);  dequant = (code - zero) * scale
 * Symmetric: scale = max(absmax, 1e-5) / (2^(b-1) - 1), code = clamp(round(x / scale), -2^(b-1),
 * 2^(b-1) - 1) + 2^(b-1), zero = 2^(b-1), so the same dequant formula serves both.
 * Non-finite inputs: NaN and ±Infinity are left out of min/max/absmax (a group with no finite value
 * is quantized as if it were all zeros); ±Infinity saturates to the end codes; NaN gives a NaN code
 * (so pseudo-quantization propagates NaN) which integer storage replaces by the zero point.
 */

/** 1e-5 as float32, the floor of the scale numerator (torch clamp(min=1e-5) on a float32 tensor) */
export const SCALE_FLOOR = Math.fround(1e-5);

/** Rounds half to even (torch.round, wasm f32.nearest); correct for negatives: -2.5 -> -2, -3.5 -> -4. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f; // exact for every double (fraction bits of x)
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1; // a tie (or NaN / ±Infinity, which pass through)
}

/** Largest code of b bits: 2^b - 1. */
export function maxCode(bits: number): number {
  return (1 << bits) - 1;
}

/** Throws a RangeError unless bits is an integer in 2..8. */
export function checkBits(bits: number): void {
  if (!Number.isInteger(bits) || bits < 2 || bits > 8) throw new RangeError(`quant: bits ${bits} outside 2..8`);
}

/** Asymmetric scale of a range [min, max] (f32). */
export function asymScale(min: number, max: number, bits: number): number {
  return Math.fround(Math.max(Math.fround(max - min), SCALE_FLOOR) / maxCode(bits));
}

/** Asymmetric zero point: clamp(-round(min / scale), 0, 2^b - 1), an integer. */
export function asymZero(min: number, scale: number, bits: number): number {
  const z = -roundHalfEven(Math.fround(min / scale));
  return Math.min(Math.max(z, 0), maxCode(bits)) + 0; // + 0 turns -0 into 0
}

/** Symmetric scale of an absmax (f32). */
export function symScale(absmax: number, bits: number): number {
  return Math.fround(Math.max(absmax, SCALE_FLOOR) / ((1 << (bits - 1)) - 1));
}

/** Symmetric zero point in code units: 2^(b-1). */
export function symZero(bits: number): number {
  return 1 << (bits - 1);
}

/** Code of x: asym clamp(round(x / scale) + zero, 0, 2^b - 1); sym clamp(round(x / scale), -2^(b-1), 2^(b-1) - 1) + 2^(b-1). */
export function quantizeValue(x: number, scale: number, zero: number, bits: number, sym: boolean): number {
  const r = roundHalfEven(Math.fround(x / scale));
  if (sym) return Math.min(Math.max(r, -zero), zero - 1) + zero;
  return Math.min(Math.max(r + zero, 0), maxCode(bits));
}

/** Dequantized value: (code - zero) * scale in f32. */
export function dequantizeValue(code: number, zero: number, scale: number): number {
  return Math.fround(Math.fround(code - zero) * scale);
}

/**
 * Scale and zero of x[start, end) (f32), written to out[0], out[1]; non-finite values are skipped.
 * out is caller-owned so the hot loops stay allocation-free.
 */
export function rangeParams(x: ArrayLike<number>, start: number, end: number, bits: number, sym: boolean, out: Float64Array): Float64Array {
  let min = Infinity, max = -Infinity;
  // min and max over finite values
  for (let i = start; i < end; i++) {
    const v = x[i]!;
    if (v < min && v !== -Infinity) min = v;
    if (v > max && v !== Infinity) max = v;
  }
  if (min > max) min = max = 0; // no finite value
  return paramsFromRange(min, max, bits, sym, out);
}

/** Scale and zero for a known [min, max] (finite), written to out[0], out[1]. */
export function paramsFromRange(min: number, max: number, bits: number, sym: boolean, out: Float64Array): Float64Array {
  if (sym) {
    out[0] = symScale(Math.max(Math.abs(min), Math.abs(max)), bits);
    out[1] = symZero(bits);
  } else {
    const scale = asymScale(min, max, bits);
    out[0] = scale;
    out[1] = asymZero(min, scale, bits);
  }
  return out;
}
