/**
 * Linears on kernels-wasm (lib/kernels/gemm-kernel.ts): f32 GEMV/GEMM for the FP32 path and
 * lm_head, packed int8/int4 weights with int8 per-token activations (WA) or float activations
 * (weight-only) for the integer path. Activations are quantized in wasm (GemmKernel.gemmA) with
 * lib/quant's arithmetic bit for bit, so the integer path computes the pseudo-quantized function up
 * to float summation order.
 */
import { gemmKernelMaker, type GemmHandle, type GemmKernel } from "../kernels/gemm-kernel.ts";
import { f32Layout, packedLayout } from "../kernels/gemm-layout.ts";
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

  /** a float32 matrix's row (the tied embedding's lookup); packed matrices have none */
  get row(): ((i: number, out: Float32Array) => void) | undefined {
    return this.h.kind === "f32" && this.actBits === null ? (i, out) => this.k.readF32Row(this.h, i, out) : undefined;
  }
}

/** Matmul factories over a pool of kernel instances (each its own wasm memory), and a close() that drops them. */
export interface KernelLinears {
  f32: LinearFactory;
  packed: PackedLinearFactory;
  /** the first kernel (the only one unless the weights outgrew its memory) */
  kernel: GemmKernel;
  /** every kernel of the pool, in the order they were added */
  kernels: GemmKernel[];
  close(): Promise<void>;
}

/**
 * Bytes each memory of a pool of several keeps free for a GEMM's own blocks (its activations and
 * output, copied in and out per call): a window of 2,048 tokens through a 128k-vocabulary lm_head
 * is 2048 x 128256 x 4 = 1 GiB of output. A pool of one memory keeps no reserve (as before pools).
 */
export const KERNEL_SCRATCH_RESERVE = 1.25 * 2 ** 30;
/** memories a pool may hold: 16 x 4 GB, far above a 7B model's f32 weights (28 GB) */
export const MAX_KERNEL_MEMORIES = 16;

/**
 * f32 and packed Linear factories on fresh gemm kernels (Node and Web Workers alike). A weight goes
 * into the first memory that holds it and leaves KERNEL_SCRATCH_RESERVE free; when none does, a new
 * kernel (a new wasm32 memory) is added, up to `memories` (default 1: one memory of at most 4 GB, as
 * the browser has it; the CLI passes more, so a model whose weights exceed 4 GB still loads).
 * `memoryLimit` (bytes per memory) and `reserve` are for tests.
 */
export async function kernelLinears(opts: { memories?: number; memoryLimit?: number; reserve?: number } = {}): Promise<KernelLinears> {
  const memories = opts.memories ?? 1, reserve = opts.reserve ?? KERNEL_SCRATCH_RESERVE;
  if (!(Number.isInteger(memories) && memories >= 1 && memories <= MAX_KERNEL_MEMORIES)) throw new RangeError(`kernel linears: memories ${memories} must be an integer in [1, ${MAX_KERNEL_MEMORIES}]`);
  const make = await gemmKernelMaker(opts.memoryLimit);
  const kernels = [make()];
  const place = (bytes: number): GemmKernel => {
    if (memories === 1) return kernels[0]!;
    const k = kernels.find((x) => x.heap.fits(bytes, reserve));
    if (k) return k;
    if (kernels.length >= memories) return kernels.at(-1)!; // its heap says how far over the limit it is
    const next = make();
    next.useSimd = kernels[0]!.useSimd; next.useV1 = kernels[0]!.useV1; next.useRelaxed = kernels[0]!.useRelaxed;
    kernels.push(next);
    return next;
  };
  return {
    kernel: kernels[0]!,
    kernels,
    f32: (_name, w, rows, cols) => {
      const k = place(f32Layout(rows, cols).weightBytes);
      return new KernelLinear(k, k.loadF32Matrix(w, rows, cols), null);
    },
    packed: (_name, p: PackedMatrix, actBits) => {
      const l = packedLayout(p.bits, p.rows, p.cols, p.groupSize);
      const k = place(l.weightBytes + l.metaBytes);
      return new KernelLinear(k, k.loadPackedMatrix(p), actBits);
    },
    close: async () => {},
  };
}

/** The CLI's factories (kernels-wasm in this thread). */
export const nodeLinears = kernelLinears;
