/**
 * Rotary position embedding on adjacent pairs (x[2i], x[2i+1]) of the first `rotaryDim` dims of
 * each head, as llama2.c run.c and GGUF llama apply it (the loader puts Hugging Face rotate-half
 * rows in this order; dims past rotaryDim pass through: partial rotary). Frequencies follow
 * transformers' modeling_rope_utils.py in float32 (inv_freq is built in float32 there too):
 * "default", "linear" (inv_freq / factor) and "llama3" (Llama 3.1 band-wise rescaling).
 * Tables hold only the positions evaluated so far, grown on demand up to `maxPositions`.
 */
const f = Math.fround;

/** RoPE frequency settings of one layer (the config's rope_parameters / rope_scaling). */
export interface RopeParams {
  theta: number;
  /** pairs rotated per head x 2 (partial_rotary_factor x head_dim) */
  rotaryDim: number;
  scaling: RopeScaling | null;
}

export type RopeScaling =
  | { type: "linear"; factor: number }
  | { type: "llama3"; factor: number; lowFreqFactor: number; highFreqFactor: number; originalMax: number };

/** transformers' default inv_freq[j] = 1 / theta^(2j / rotaryDim), j < rotaryDim / 2, in float32. */
export function defaultInvFreq(theta: number, rotaryDim: number): Float32Array {
  const inv = new Float32Array(rotaryDim / 2);
  for (let j = 0; j < inv.length; j++) inv[j] = f(1 / f(Math.pow(f(theta), f((2 * j) / rotaryDim))));
  return inv;
}

/**
 * Llama 3.1's "llama3" rescaling of inv_freq (float32, as transformers): wavelength w = 2 pi / inv;
 * w < originalMax / highFreqFactor kept, w > originalMax / lowFreqFactor divided by factor, else
 * (1 - s) inv / factor + s inv with s = (originalMax / w - lowFreqFactor) / (highFreqFactor - lowFreqFactor).
 */
export function llama3InvFreq(inv: Float32Array, s: Extract<RopeScaling, { type: "llama3" }>): Float32Array {
  const low = s.originalMax / s.lowFreqFactor, high = s.originalMax / s.highFreqFactor;
  return inv.map((v) => {
    const w = f(f(2 * Math.PI) / v);
    if (w < high) return v;
    if (w > low) return f(v / s.factor);
    const smooth = f(f(f(s.originalMax / w) - s.lowFreqFactor) / (s.highFreqFactor - s.lowFreqFactor));
    return f(f(f(f(1 - smooth) * v) / s.factor) + f(smooth * v));
  });
}

/** inv_freq of `p` after its scaling. */
export function invFreq(p: RopeParams): Float32Array {
  const inv = defaultInvFreq(p.theta, p.rotaryDim);
  if (!p.scaling) return inv;
  if (p.scaling.type === "linear") return inv.map((v) => f(v / (p.scaling as { factor: number }).factor));
  return llama3InvFreq(inv, p.scaling);
}

/** cos/sin of position p and pair i at [p * half + i], for positions [0, positions). */
export interface RopeTables {
  cos: Float32Array; sin: Float32Array;
  /** rotated pairs per head (rotaryDim / 2) */
  half: number;
  positions: number;
  /** most positions the tables may grow to (the model's context) */
  maxPositions: number;
  inv: Float32Array;
}

/** Tables for `p`, holding `positions` positions now and growing up to maxPositions. */
export function ropeTables(p: RopeParams, maxPositions: number, positions = 0): RopeTables {
  const inv = invFreq(p);
  const r: RopeTables = { cos: new Float32Array(0), sin: new Float32Array(0), half: inv.length, positions: 0, maxPositions, inv };
  if (positions > 0) ensurePositions(r, positions);
  return r;
}

/** Grows `r` to hold at least `n` positions (doubling, capped at maxPositions); angle = f32(p * inv), as transformers. */
export function ensurePositions(r: RopeTables, n: number): void {
  if (n <= r.positions) return;
  if (n > r.maxPositions) throw new RangeError(`RoPE: position ${n - 1} past the context length ${r.maxPositions}`);
  const size = Math.min(r.maxPositions, Math.max(n, 2 * r.positions, 64));
  const cos = new Float32Array(size * r.half), sin = new Float32Array(size * r.half);
  cos.set(r.cos); sin.set(r.sin);
  for (let p = r.positions; p < size; p++) {
    for (let i = 0; i < r.half; i++) {
      const a = f(p * r.inv[i]!);
      cos[p * r.half + i] = Math.cos(a);
      sin[p * r.half + i] = Math.sin(a);
    }
  }
  Object.assign(r, { cos, sin, positions: size });
}

/** Rotates x[M, heads * headDim] in place; row m is at position pos0 + m. */
export function applyRope(r: RopeTables, x: Float32Array, M: number, heads: number, headDim: number, pos0: number): void {
  ensurePositions(r, pos0 + M);
  for (let m = 0; m < M; m++) {
    const p = pos0 + m;
    for (let h = 0; h < heads; h++) {
      const o = (m * heads + h) * headDim;
      for (let i = 0; i < r.half; i++) {
        const c = r.cos[p * r.half + i]!, s = r.sin[p * r.half + i]!;
        const a = x[o + 2 * i]!, b = x[o + 2 * i + 1]!;
        x[o + 2 * i] = a * c - b * s;
        x[o + 2 * i + 1] = a * s + b * c;
      }
    }
  }
}
