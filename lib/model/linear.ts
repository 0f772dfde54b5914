/**
 * The matmul is a parameter of the forward pass (STYLE.md, model 3): one Linear per weight, and
 * the FP32 reference, pseudo-quantized and integer paths differ only in which Linear they hold.
 */

/** y = x W^T for a weight W [rows = out, cols = in]. */
export interface Linear {
  readonly rows: number;
  readonly cols: number;
  /** out[M, rows] = x[M, cols] . W^T */
  forward(x: Float32Array, M: number, out: Float32Array): void;
  /** frees kernel memory; the Linear is unusable afterwards */
  dispose?(): void;
  /** out[0, cols) = row i of W, exactly as held (float32 weights only): a tied embedding's lookup */
  row?(i: number, out: Float32Array): void;
}

/**
 * Plain-JS float32 weights with float64 accumulation: the scalar reference every kernel path is
 * checked against (and the fallback where no kernel is loaded).
 */
export class JsLinear implements Linear {
  constructor(readonly w: Float32Array, readonly rows: number, readonly cols: number) {
    if (w.length !== rows * cols) throw new RangeError(`JsLinear: ${w.length} weights, expected ${rows} x ${cols}`);
  }

  forward(x: Float32Array, M: number, out: Float32Array): void {
    const { w, rows, cols } = this;
    for (let m = 0; m < M; m++) {
      const xo = m * cols;
      for (let r = 0; r < rows; r++) {
        const wo = r * cols;
        let s = 0;
        for (let k = 0; k < cols; k++) s += w[wo + k]! * x[xo + k]!;
        out[m * rows + r] = s;
      }
    }
  }
}

/** How each weight of a model becomes a Linear (FP32 kernel, JS reference, quantized...). */
export type LinearFactory = (name: string, w: Float32Array, rows: number, cols: number) => Linear;

export const jsLinear: LinearFactory = (_name, w, rows, cols) => new JsLinear(w, rows, cols);
