/** Asymmetric codes of one KV group (Qllm-Eval arithmetic in float32, round half to even). */
export interface GroupCodes { codes: Uint8Array; scale: number; zero: number }

const EPS = Math.fround(1e-5);

/** Half-to-even rounding (torch.round, wasm f32.nearest). */
function roundEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Codes in [0, 2^bits - 1] of `x` with scale = max(max - min, 1e-5) / (2^bits - 1). */
export function quantizeCodes(x: Float32Array, bits: number): GroupCodes {
  const maxq = (1 << bits) - 1;
  let mn = Infinity, mx = -Infinity;
  for (let i = 0; i < x.length; i++) { const v = x[i]!; if (v < mn) mn = v; if (v > mx) mx = v; }
  const scale = Math.fround(Math.max(Math.fround(mx - mn), EPS) / maxq);
  const zero = Math.min(Math.max(-roundEven(Math.fround(mn / scale)), 0), maxq);
  const codes = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) codes[i] = Math.min(Math.max(roundEven(Math.fround(x[i]! / scale)) + zero, 0), maxq);
  return { codes, scale, zero };
}
