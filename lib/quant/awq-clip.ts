/**
 * AWQ weight clipping (llm-awq awq/quantize/auto_clip.py `auto_clip_layer`): per output row and
 * group, shrink the clip range max|w| by (1 - i / grid) for i < maxShrink * grid and keep the one
 * whose quantized group output sum_k x_tk q(clamp(w_k)) is closest (mean squared over tokens) to the
 * original sum_k x_tk w_k. Tokens are subsampled with a stride of floor(nTokens / maxTokens), at least 1.
 */
import { dequantizeValue, quantizeValue, rangeParams } from "./round.ts";
import { resolveGroupSize, type RtnOptions } from "./rtn.ts";

/** Clip search options: RTN's plus the shrink grid, the largest shrink and the token budget. */
export interface AwqClipOptions extends RtnOptions {
  grid?: number;
  maxShrink?: number;
  maxTokens?: number;
}

/** Clamps w [rows, cols] in place to ±maxVal[row, group] (groups as RTN resolves groupSize). */
export function applyClip(w: Float32Array, rows: number, cols: number, groupSize: number | undefined, maxVal: Float32Array): Float32Array {
  const g = resolveGroupSize(cols, groupSize);
  for (let i = 0; i < rows * cols; i++) {
    const m = maxVal[(i / g) | 0]!;
    w[i] = Math.min(Math.max(w[i]!, -m), m);
  }
  return w;
}

/** Best clip max per (row, group) of w [rows, cols] for inputs x [nTokens, cols], row-major rows x groups. */
export function searchAwqClip(w: Float32Array, rows: number, cols: number, x: Float32Array, opts: AwqClipOptions): Float32Array {
  const { bits, sym = false, grid = 20, maxShrink = 0.5, maxTokens = 512 } = opts;
  const g = resolveGroupSize(cols, opts.groupSize), nGroups = cols / g, n = x.length / cols;
  const stride = Math.max(1, Math.floor(n / maxTokens)), tokens = Math.ceil(n / stride);
  const best = new Float32Array(rows * nGroups), params = new Float64Array(2);
  const q = new Float32Array(g), orgOut = new Float64Array(tokens);
  for (let r = 0; r < rows; r++) {
    for (let gi = 0; gi < nGroups; gi++) {
      const off = r * cols + gi * g;
      // original group output per sampled token and the original range
      let orgMax = 0;
      for (let k = 0; k < g; k++) orgMax = Math.max(orgMax, Math.abs(w[off + k]!));
      for (let t = 0; t < tokens; t++) {
        let dot = 0;
        for (let k = 0; k < g; k++) dot += x[t * stride * cols + gi * g + k]! * w[off + k]!;
        orgOut[t] = dot;
      }
      let minErr = Infinity;
      best[r * nGroups + gi] = orgMax;
      for (let i = 0; i < Math.floor(maxShrink * grid); i++) {
        // clamp to the shrunk range, quantize the group
        const maxVal = Math.fround(orgMax * Math.fround(1 - i / grid));
        for (let k = 0; k < g; k++) q[k] = Math.min(Math.max(w[off + k]!, -maxVal), maxVal);
        rangeParams(q, 0, g, bits, sym, params);
        for (let k = 0; k < g; k++) q[k] = dequantizeValue(quantizeValue(q[k]!, params[0]!, params[1]!, bits, sym), params[1]!, params[0]!);
        // mean squared output error over the sampled tokens
        let err = 0;
        for (let t = 0; t < tokens; t++) {
          let dot = 0;
          for (let k = 0; k < g; k++) dot += x[t * stride * cols + gi * g + k]! * q[k]!;
          err += (dot - orgOut[t]!) ** 2 / tokens;
        }
        if (err < minErr) { minErr = err; best[r * nGroups + gi] = maxVal; }
      }
    }
  }
  return best;
}
