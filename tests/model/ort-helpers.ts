/** Helpers of the onnxruntime-web engine tests: collect a window, argmax, a tiny RTN. */
import type { LogitsEngine } from "../../lib/eval/engine.ts";

/** All rows of one window, copied. */
export async function collect(engine: LogitsEngine, tokens: Int32Array, signal?: AbortSignal): Promise<Float32Array[]> {
  const rows: Float32Array[] = [];
  for await (const row of engine.window(tokens, signal)) rows.push(row.slice());
  return rows;
}

/** Index of the largest value (first on ties). */
export function argmax(x: Float32Array): number {
  let best = 0;
  for (let i = 1; i < x.length; i++) if (x[i]! > x[best]!) best = i;
  return best;
}

/** Round half to even (torch.round). */
const rne = (x: number) => (Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x));

/** Asymmetric RTN pseudo-quantization per group of `g` along each row (DESIGN.md semantics). */
export function rtn(w: Float32Array, rows: number, cols: number, bits: number, g: number): Float32Array {
  const out = new Float32Array(w.length), qmax = 2 ** bits - 1;
  const group = cols % g === 0 ? g : cols;
  for (let r = 0; r < rows; r++) {
    for (let s = r * cols; s < (r + 1) * cols; s += group) {
      let min = Infinity, max = -Infinity;
      for (let i = s; i < s + group; i++) { min = Math.min(min, w[i]!); max = Math.max(max, w[i]!); }
      const scale = Math.max(max - min, 1e-5) / qmax;
      const zero = Math.min(Math.max(-rne(min / scale), 0), qmax);
      for (let i = s; i < s + group; i++) out[i] = (Math.min(Math.max(rne(w[i]! / scale) + zero, 0), qmax) - zero) * scale;
    }
  }
  return out;
}
