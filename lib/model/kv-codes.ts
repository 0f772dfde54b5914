/** Asymmetric codes of one KV group, with lib/quant's Qllm-Eval arithmetic (f32, half to even). */
import { asymScale, asymZero, quantizeValue } from "../quant/round.ts";

export interface GroupCodes { codes: Uint8Array; scale: number; zero: number }

/** Codes in [0, 2^bits - 1] of `x` with scale = max(max - min, 1e-5) / (2^bits - 1). */
export function quantizeCodes(x: Float32Array, bits: number): GroupCodes {
  let mn = Infinity, mx = -Infinity;
  for (let i = 0; i < x.length; i++) { const v = x[i]!; if (v < mn) mn = v; if (v > mx) mx = v; }
  const scale = asymScale(mn, mx, bits);
  const zero = asymZero(mn, scale, bits);
  const codes = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) codes[i] = quantizeValue(x[i]!, scale, zero, bits, false);
  return { codes, scale, zero };
}
