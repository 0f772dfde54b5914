/** Rotary position embedding on adjacent pairs (x[2i], x[2i+1]), as llama2.c run.c and GGUF llama apply it. */

/** cos/sin of position p and pair i at [p * headDim/2 + i]. */
export interface RopeTables { cos: Float32Array; sin: Float32Array; half: number; positions: number }

/** Tables for positions [0, positions): angle = p * theta^(-2i / headDim). */
export function ropeTables(positions: number, headDim: number, theta: number): RopeTables {
  const half = headDim / 2;
  const cos = new Float32Array(positions * half), sin = new Float32Array(positions * half);
  for (let i = 0; i < half; i++) {
    const freq = 1 / Math.pow(theta, (2 * i) / headDim);
    for (let p = 0; p < positions; p++) {
      const a = p * freq;
      cos[p * half + i] = Math.cos(a);
      sin[p * half + i] = Math.sin(a);
    }
  }
  return { cos, sin, half, positions };
}

/** Rotates x[M, heads * headDim] in place; row m is at position pos0 + m. */
export function applyRope(r: RopeTables, x: Float32Array, M: number, heads: number, headDim: number, pos0: number): void {
  for (let m = 0; m < M; m++) {
    const p = pos0 + m;
    if (p >= r.positions) throw new RangeError(`RoPE: position ${p} past the context length ${r.positions}`);
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
