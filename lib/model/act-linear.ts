/**
 * Activation quantization on the float path (pseudo-quantization, Qllm-Eval's WA semantics): the
 * input of the linear is quantized asymmetrically per token over the whole input vector, then
 * dequantized, then multiplied in float. The integer path does the same with integer codes.
 */
import { pseudoQuantizeActivations } from "../quant/rtn.ts";
import type { Linear } from "./linear.ts";

export class ActQuantLinear implements Linear {
  readonly rows: number;
  readonly cols: number;
  private buf = new Float32Array(0);

  constructor(readonly inner: Linear, readonly bits: number) {
    this.rows = inner.rows;
    this.cols = inner.cols;
  }

  forward(x: Float32Array, M: number, out: Float32Array): void {
    const n = M * this.cols;
    if (this.buf.length < n) this.buf = new Float32Array(n);
    const xq = this.buf.subarray(0, n);
    pseudoQuantizeActivations(x.subarray(0, n), M, this.cols, this.bits, xq);
    this.inner.forward(xq, M, out);
  }

  dispose(): void { this.inner.dispose?.(); }
}
