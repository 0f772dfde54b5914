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

/** 2^52: adding and subtracting it rounds a double of smaller magnitude to an integer, ties to even (IEEE default) */
const ROUND_MAGIC = 4503599627370496;

/** Rounds half to even (torch.round, wasm f32.nearest); correct for negatives: -2.5 -> -2, -3.5 -> -4. NaN, ±Infinity pass through. */
export function roundHalfEven(x: number): number {
  // |x| >= 2^52 is already an integer; NaN fails both tests
  if (x >= 0) return x < ROUND_MAGIC ? x + ROUND_MAGIC - ROUND_MAGIC : x;
  if (x < 0) return x > -ROUND_MAGIC ? x - ROUND_MAGIC + ROUND_MAGIC : x;
  return x;
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

/**
 * Code of x: clamp(round(x / scale) + zero, 0, 2^b - 1). For sym (zero = 2^(b-1)) this equals
 * clamp(round(x / scale), -2^(b-1), 2^(b-1) - 1) + 2^(b-1), so `sym` only documents the caller's scheme.
 */
export function quantizeValue(x: number, scale: number, zero: number, bits: number, sym = false): number {
  const c = roundHalfEven(Math.fround(x / scale)) + zero, maxq = (1 << bits) - 1;
  return c < 0 ? 0 : c > maxq ? maxq : c; // comparisons, so NaN falls through
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
function paramsFromRange(min: number, max: number, bits: number, sym: boolean, out: Float64Array): Float64Array {
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

/*
 * Hot loops live here, beside roundHalfEven: bundlers turn a cross-module call into a property load
 * on the module object, which V8 does not inline per element (measured ~3x slower under tsx).
 */

/** Quantize-dequantize x[start, end) into out[start, end) with one group's params; out may be x. */
export function pseudoQuantizeRange(x: ArrayLike<number>, start: number, end: number, scale: number, zero: number, bits: number, out: Float32Array): void {
  const maxq = (1 << bits) - 1;
  for (let i = start; i < end; i++) {
    // code = clamp(round(x / scale) + zero, 0, 2^b - 1) (NaN falls through); dequant = (code - zero) * scale
    const c = roundHalfEven(Math.fround(x[i]! / scale)) + zero;
    out[i] = Math.fround(((c < 0 ? 0 : c > maxq ? maxq : c) - zero) * scale);
  }
}

/** Codes of x[start, end) into codes[start, end) with one group's params; NaN is stored as the zero point. */
export function quantizeRange(x: ArrayLike<number>, start: number, end: number, scale: number, zero: number, bits: number, codes: Uint8Array): void {
  const maxq = (1 << bits) - 1;
  for (let i = start; i < end; i++) {
    // code = clamp(round(x / scale) + zero, 0, 2^b - 1); NaN -> zero
    const c = roundHalfEven(Math.fround(x[i]! / scale)) + zero;
    codes[i] = c < 0 ? 0 : c > maxq ? maxq : c === c ? c : zero;
  }
}

/** acc plus the squared quantize-dequantize errors of the finite values of x[start, end), in order, in float64. */
export function rangeSqError(x: ArrayLike<number>, start: number, end: number, scale: number, zero: number, bits: number, acc = 0): number {
  const maxq = (1 << bits) - 1;
  for (let i = start; i < end; i++) {
    const v = x[i]!;
    if (v - v !== 0) continue; // NaN or ±Infinity
    const c = roundHalfEven(Math.fround(v / scale)) + zero;
    const d = v - Math.fround(((c < 0 ? 0 : c > maxq ? maxq : c) - zero) * scale);
    acc += d * d;
  }
  return acc;
}
