/**
 * Linears on kernels-wasm (lib/kernels/gemm-kernel.ts): f32 GEMV/GEMM for the FP32 path and
 * lm_head, packed int8/int4 weights with int8 per-token activations (WA) or float activations
 * (weight-only) for the integer path. Activations are quantized in wasm (GemmKernel.gemmA) with
 * lib/quant's arithmetic bit for bit, so the integer path computes the pseudo-quantized function up
 * to float summation order.
 */
import { createGemmKernel, type GemmHandle, type GemmKernel } from "../kernels/gemm-kernel.ts";
import type { PackedMatrix } from "../kernels/types.ts";
import type { Linear, LinearFactory } from "./linear.ts";
import type { PackedLinearFactory } from "./quantize.ts";

class KernelLinear implements Linear {
  readonly rows: number;
  readonly cols: number;

  constructor(private readonly k: GemmKernel, private readonly h: GemmHandle, private readonly actBits: number | null) {
    this.rows = h.rows;
    this.cols = h.cols;
  }

  forward(x: Float32Array, M: number, out: Float32Array): void {
    const xin = x.length === M * this.cols ? x : x.subarray(0, M * this.cols);
    const y = out.length === M * this.rows ? out : out.subarray(0, M * this.rows);
    if (this.actBits === null) this.k.gemm(this.h, xin, M, y);
    else this.k.gemmA(this.h, xin, M, this.actBits, y);
  }

  dispose(): void {
    if (!this.h.freed) this.k.free(this.h);
  }
}

/** Matmul factories over one kernel instance (its own wasm memory), and a close() that drops it. */
export interface KernelLinears {
  f32: LinearFactory;
  packed: PackedLinearFactory;
  kernel: GemmKernel;
  close(): Promise<void>;
}

/** f32 and packed Linear factories on a fresh gemm kernel (Node and Web Workers alike). */
export async function kernelLinears(): Promise<KernelLinears> {
  const kernel = await createGemmKernel();
  return {
    kernel,
    f32: (_name, w, rows, cols) => new KernelLinear(kernel, kernel.loadF32Matrix(w, rows, cols), null),
    packed: (_name, p: PackedMatrix, actBits) => new KernelLinear(kernel, kernel.loadPackedMatrix(p), actBits),
    close: async () => {},
  };
}

/** The CLI's factories (kernels-wasm in this thread). */
export const nodeLinears = kernelLinears;
