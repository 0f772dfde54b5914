/**
 * Typed wrapper of kernels-wasm/assembly/gemm.ts (+ gemm-relaxed.ts): y[M, N] = x[M, K] W[N, K]^T.
 * Owns one WebAssembly.Memory shared by the plain and the relaxed-SIMD instance (grown on demand up
 * to MAX_GEMM_MEMORY_BYTES), lays matrices out in the kernels' read order once at load time
 * (gemm-layout.ts), validates every length once per call and selects SIMD or scalar twins
 * (`useSimd`) and relaxed SIMD (`useRelaxed`, on by default where the runtime validates it)
 * through one dispatch table (dispatchTable: every wasm export by name).
 * Modules come from embedded base64 bytes: the same code runs in Node and Web Workers.
 */
import type { PackedMatrix, QuantizedActivations } from "./types.ts";
import { WASM_BASE64 } from "./generated/gemm-wasm.ts";
import { WASM_BASE64 as RELAXED_BASE64 } from "./generated/gemm-relaxed-wasm.ts";
import { WasmHeap } from "./gemm-heap.ts";
import { f32Layout, layoutF32, layoutPacked, packedLayout, validatePacked, type Layout } from "./gemm-layout.ts";

/** wasm32 address space (65535 pages): bounds growth; a model's weights must fit one instance */
export const MAX_GEMM_MEMORY_BYTES = 2 ** 32 - 65536;
/** first 64 KiB stay unallocated: the modules' (empty) static area and the null page */
const HEAP_BASE = 65536;
/** prepA activation formats (gemm.ts A16 / A8S) */
const A16 = 0, A8S = 1;

/** gemmF32*: (w, n, kp, x, m, y) */
type F32Fn = (w: number, n: number, kp: number, x: number, m: number, y: number) => void;
/** gemmW{8,4}F32*: (w, meta, n, ng, gp, g, x, m, y, scratch) */
type WeightOnlyFn = (w: number, meta: number, n: number, ng: number, gp: number, g: number, x: number, m: number, y: number, scratch: number) => void;
/** gemmW{8,4}A8*: (w, meta, n, ng, gp, g, xa, asum, tok, m, y, scratch) */
type IntFn = (w: number, meta: number, n: number, ng: number, gp: number, g: number, xa: number, asum: number, tok: number, m: number, y: number, scratch: number) => void;
/** prepA*: (codes, m, ng, g, gp, tok, dst, asum, format) */
type PrepFn = (codes: number, m: number, ng: number, g: number, gp: number, tok: number, dst: number, asum: number, format: number) => void;
/** quantActs*: (x, m, k, maxq, codes, tok) */
type QuantFn = (x: number, m: number, k: number, maxq: number, codes: number, tok: number) => void;

/** exports of gemm.ts that the wrapper calls */
interface GemmExports {
  gemmF32: F32Fn; gemmF32Ref: F32Fn; gemmF32V1: F32Fn;
  gemmW8F32: WeightOnlyFn; gemmW8F32Ref: WeightOnlyFn; gemmW4F32: WeightOnlyFn; gemmW4F32Ref: WeightOnlyFn;
  gemmW8A8: IntFn; gemmW8A8Ref: IntFn; gemmW8A8V1: IntFn; gemmW4A8: IntFn; gemmW4A8Ref: IntFn;
  prepA: PrepFn; prepARef: PrepFn;
  quantActs: QuantFn; quantActsRef: QuantFn;
}
/** exports of gemm-relaxed.ts */
interface RelaxedExports {
  gemmW4A8Relaxed: IntFn; gemmW4A8RelaxedRef: IntFn;
  gemmF32Relaxed: F32Fn; gemmW8F32Relaxed: WeightOnlyFn; gemmW4F32Relaxed: WeightOnlyFn;
}

/** a SIMD kernel and its scalar twin (same signature) */
interface Twin<F> { simd: F; ref: F }

/** Every kernel the wrapper calls, by role: one named caller per wasm export. */
function dispatchTable(ex: GemmExports, rx: RelaxedExports | null) {
  return {
    f32: { simd: ex.gemmF32, ref: ex.gemmF32Ref },
    w8f32: { simd: ex.gemmW8F32, ref: ex.gemmW8F32Ref },
    w4f32: { simd: ex.gemmW4F32, ref: ex.gemmW4F32Ref },
    w8a8: { simd: ex.gemmW8A8, ref: ex.gemmW8A8Ref },
    /** v1 of gemmW8A8 (one token at a time) and of gemmF32 (no token tiles), kept as baselines (useV1) */
    w8a8V1: ex.gemmW8A8V1,
    f32V1: ex.gemmF32V1,
    w4a8: { simd: ex.gemmW4A8, ref: ex.gemmW4A8Ref },
    w4a8Relaxed: rx && { simd: rx.gemmW4A8Relaxed, ref: rx.gemmW4A8RelaxedRef },
    /** f32 and weight-only (several tokens) on relaxed_madd; twins: the plain module's scalar kernels */
    f32Relaxed: rx && { simd: rx.gemmF32Relaxed, ref: ex.gemmF32Ref },
    w8f32Relaxed: rx && { simd: rx.gemmW8F32Relaxed, ref: ex.gemmW8F32Ref },
    w4f32Relaxed: rx && { simd: rx.gemmW4F32Relaxed, ref: ex.gemmW4F32Ref },
    prepA: { simd: ex.prepA, ref: ex.prepARef },
    quantActs: { simd: ex.quantActs, ref: ex.quantActsRef },
  } satisfies Record<string, Twin<unknown> | IntFn | null>;
}

/** A matrix loaded into kernel memory; pass it to gemm/gemmQ, release it with free(). */
export class GemmHandle {
  /** @internal */ freed = false;
  constructor(
    /** "f32" (loadF32Matrix) or the packed code width */
    readonly kind: "f32" | "w8" | "w4",
    /** @internal */ readonly layout: Layout,
    /** @internal */ readonly weights: number,
    /** @internal */ readonly meta: number,
    /** @internal the kernel whose memory holds the matrix */ readonly owner: object,
  ) {}
  get rows(): number { return this.layout.rows; }
  get cols(): number { return this.layout.cols; }
  get groupSize(): number { return this.layout.groupSize; }
}

function decode(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

let compiled: Promise<[WebAssembly.Module, WebAssembly.Module | null]> | null = null;

/** Compiles both modules once per thread; the relaxed one only where the runtime validates it. */
function gemmModules(): Promise<[WebAssembly.Module, WebAssembly.Module | null]> {
  if (!compiled) {
    const plain = decode(WASM_BASE64), relaxed = decode(RELAXED_BASE64);
    compiled = Promise.all([WebAssembly.compile(plain), relaxedSimdSupported() ? WebAssembly.compile(relaxed) : null]);
  }
  return compiled;
}

/** True when this runtime has relaxed SIMD (Chromium; Node 20 with --experimental-wasm-relaxed-simd). */
export function relaxedSimdSupported(): boolean {
  return WebAssembly.validate(decode(RELAXED_BASE64));
}

/**
 * A maker of kernels, each with its own memory, made synchronously once the modules are compiled
 * (a pool that runs out of one wasm32 memory mid-load adds the next one: lib/model/kernel-linear.ts).
 * Synchronous instantiation: Node and Web Workers only.
 */
export async function gemmKernelMaker(limit = MAX_GEMM_MEMORY_BYTES): Promise<() => GemmKernel> {
  const [plain, relaxed] = await gemmModules();
  return () => {
    const memory = new WebAssembly.Memory({ initial: HEAP_BASE / 65536 + 1 });
    const env = { env: { memory } };
    const ex = new WebAssembly.Instance(plain, env).exports as unknown as GemmExports;
    const rx = relaxed ? new WebAssembly.Instance(relaxed, env).exports as unknown as RelaxedExports : null;
    return new GemmKernel(memory, dispatchTable(ex, rx), limit);
  };
}

/** A kernel with its own memory (one per thread is enough: see sharedGemmKernel). */
export async function createGemmKernel(): Promise<GemmKernel> {
  return (await gemmKernelMaker())();
}

let shared: Promise<GemmKernel> | null = null;
/** This thread's kernel, created on first use. */
export function sharedGemmKernel(): Promise<GemmKernel> {
  return (shared ??= createGemmKernel());
}

export class GemmKernel {
  /** SIMD kernels (true) or their scalar reference twins (false) */
  useSimd = true;
  /**
   * v1 kernels, kept llm.c-style as baselines (bench/gemm.ts, bench/gemm-shapes.ts validate and time
   * both): W8A8 one token at a time (codes widened in the loop) instead of v2 (block widened once,
   * token tiles); plain f32 without token tiles
   */
  useV1 = false;
  /** relaxed-SIMD kernels where they exist (W4A8; f32; weight-only with several tokens); true by default when available */
  useRelaxed: boolean;
  /** whether this runtime runs the relaxed module */
  readonly relaxedAvailable: boolean;
  readonly heap: WasmHeap;

  constructor(readonly memory: WebAssembly.Memory, private readonly kernels: ReturnType<typeof dispatchTable>, limit = MAX_GEMM_MEMORY_BYTES) {
    if (!(limit > HEAP_BASE && limit <= MAX_GEMM_MEMORY_BYTES)) throw new RangeError(`gemm kernel: memory limit ${limit} outside (${HEAP_BASE}, ${MAX_GEMM_MEMORY_BYTES}]`);
    this.heap = new WasmHeap(memory, HEAP_BASE, limit);
    this.relaxedAvailable = this.useRelaxed = kernels.w4a8Relaxed !== null;
  }

  /** the SIMD kernel or its scalar twin, as useSimd says */
  private pick<F>(t: Twin<F>): F {
    return this.useSimd ? t.simd : t.ref;
  }

  /** Loads an f32 matrix W [rows = out, cols = in], row-major. */
  loadF32Matrix(w: Float32Array, rows: number, cols: number): GemmHandle {
    if (!(Number.isInteger(rows) && rows > 0 && Number.isInteger(cols) && cols > 0)) {
      throw new RangeError(`gemm kernel: f32 matrix ${rows}x${cols}: rows and cols must be positive integers`);
    }
    if (w.length !== rows * cols) throw new RangeError(`gemm kernel: f32 matrix ${rows}x${cols} given ${w.length} values`);
    const l = f32Layout(rows, cols);
    const ptr = this.heap.alloc(l.weightBytes);
    const dst = new Float32Array(this.memory.buffer, ptr, l.weightBytes / 4);
    dst.fill(0);
    layoutF32(w, l, dst);
    return new GemmHandle("f32", l, ptr, 0, this);
  }

  /** Loads a PackedMatrix (validated: sizes, group, integer zero points in range). */
  loadPackedMatrix(p: PackedMatrix): GemmHandle {
    validatePacked(p);
    const l = packedLayout(p.bits, p.rows, p.cols, p.groupSize);
    const ptr = this.heap.alloc(l.weightBytes), meta = this.heap.alloc(l.metaBytes);
    const buf = this.memory.buffer;
    const dst = new Uint8Array(buf, ptr, l.weightBytes), metaF = new Float32Array(buf, meta, l.metaBytes / 4);
    dst.fill(0);
    metaF.fill(0);
    layoutPacked(p, l, dst, metaF, new Int32Array(buf, meta, l.metaBytes / 4));
    return new GemmHandle(p.bits === 8 ? "w8" : "w4", l, ptr, meta, this);
  }

  /**
   * out[0, cols) = row i of an f32 handle, read back from its block layout (the values loaded, bit for
   * bit): a tied embedding looks its tokens up in the lm_head's copy, so no second copy is kept.
   */
  readF32Row(h: GemmHandle, i: number, out: Float32Array): void {
    const l = this.live(h);
    if (h.kind !== "f32") throw new RangeError(`gemm kernel: readF32Row of a ${h.kind} matrix`);
    if (!(Number.isInteger(i) && i >= 0 && i < l.rows)) throw new RangeError(`gemm kernel: row ${i} outside [0, ${l.rows})`);
    if (out.length < l.cols) throw new RangeError(`gemm kernel: row of ${l.cols} values into ${out.length}`);
    const w = new Float32Array(this.memory.buffer, h.weights, l.weightBytes / 4);
    const base = (i >> 2) * 4 * l.kp + (i & 3) * 4;
    for (let k = 0; k < l.cols; k += 4) {
      const src = base + (k >> 2) * 16;
      out.set(w.subarray(src, src + Math.min(4, l.cols - k)), k);
    }
  }

  /** Returns a handle's memory; the handle is unusable afterwards. */
  free(h: GemmHandle): void {
    this.live(h);
    h.freed = true;
    this.heap.release(h.weights);
    if (h.meta) this.heap.release(h.meta);
  }

  /**
   * y[M, rows] = x[M, cols] W^T with f32 activations: the f32 kernel, or the weight-only kernels
   * (codes dequantized on the fly, f32 accumulation) for a packed handle.
   */
  gemm(h: GemmHandle, x: Float32Array, M: number, out?: Float32Array): Float32Array {
    const l = this.live(h);
    this.checkShape(M, x.length, l.cols, "x");
    const y = this.output(out, M, l.rows);
    const xp = this.heap.alloc(M * l.kp * 4), yp = this.heap.alloc(M * l.rows * 4);
    // weight-only with several tokens: one 4-row block dequantized to f32 at a time (gemm.ts gemmWxF32Deq)
    const sp = h.kind !== "f32" && M > 1 ? this.heap.alloc(16 * l.kp) : 0;
    try {
      const xv = new Float32Array(this.memory.buffer, xp, M * l.kp).fill(0);
      for (let t = 0; t < M; t++) {
        for (let gi = 0; gi < l.ng; gi++) {
          const src = t * l.cols + gi * l.groupSize;
          xv.set(x.subarray(src, src + l.groupSize), t * l.kp + gi * l.gp);
        }
      }
      const k = this.kernels, rx = this.useRelaxed;
      if (h.kind === "f32") {
        const relaxed = rx ? k.f32Relaxed : null;
        const fn = this.useV1 && this.useSimd && !relaxed ? k.f32V1 : this.pick(relaxed || k.f32);
        fn(h.weights, l.rows, l.kp, xp, M, yp);
      }
      else {
        const relaxed = rx && M > 1 ? (h.kind === "w8" ? k.w8f32Relaxed : k.w4f32Relaxed) : null;
        this.pick(relaxed || (h.kind === "w8" ? k.w8f32 : k.w4f32))(h.weights, h.meta, l.rows, l.ng, l.gp, l.groupSize, xp, M, yp, sp);
      }
      y.set(new Float32Array(this.memory.buffer, yp, M * l.rows));
    } finally {
      this.heap.release(xp);
      this.heap.release(yp);
      if (sp) this.heap.release(sp);
    }
    return y;
  }

  /**
   * y[a.rows, rows] = dequant(a) W^T, exact integer group sums (W8A8 / W4A8) for a packed handle.
   * Reads the first rows x cols codes and rows scales / zeros (buffers refilled by
   * quantizeActivations(..., out) may be longer).
   */
  gemmQ(h: GemmHandle, a: QuantizedActivations, out?: Float32Array): Float32Array {
    const l = this.live(h);
    if (h.kind === "f32") throw new TypeError("gemm kernel: gemmQ needs a packed matrix (loadPackedMatrix)");
    const M = a.rows;
    if (a.cols !== l.cols) throw new RangeError(`gemm kernel: activations have ${a.cols} columns, matrix ${l.cols}`);
    if (!(Number.isInteger(M) && M > 0)) throw new RangeError(`gemm kernel: activation rows = ${M} must be a positive integer`);
    if (a.codes.length < M * l.cols) throw new RangeError(`gemm kernel: activation codes has ${a.codes.length} values, fewer than rows x cols = ${M} x ${l.cols}`);
    if (a.scales.length < M || a.zeros.length < M) throw new RangeError(`gemm kernel: ${a.scales.length} scales / ${a.zeros.length} zeros for ${M} tokens`);
    const zmax = 2 ** a.bits - 1;
    for (let t = 0; t < M; t++) {
      const z = a.zeros[t]!;
      if (!(Number.isInteger(z) && z >= 0 && z <= zmax && a.bits <= 8)) throw new RangeError(`gemm kernel: activation zero ${z} of token ${t} is not an integer in [0, ${zmax}]`);
    }
    const y = this.output(out, M, l.rows);
    const cp = this.heap.alloc(M * l.cols), tp = this.heap.alloc(M * 8);
    try {
      const buf = this.memory.buffer;
      new Uint8Array(buf, cp, M * l.cols).set(a.codes.subarray(0, M * l.cols));
      const tf = new Float32Array(buf, tp, 2 * M), ti = new Int32Array(buf, tp, 2 * M);
      for (let t = 0; t < M; t++) { tf[2 * t] = a.scales[t]!; ti[2 * t + 1] = a.zeros[t]!; }
      this.runQ(h, M, cp, tp, y);
    } finally {
      this.heap.release(cp);
      this.heap.release(tp);
    }
    return y;
  }

  /**
   * y[M, rows] = dequant(quantize(x)) W^T for a packed handle: x [M, cols] f32 quantized per token
   * to `bits` in wasm (the codes, scales and zeros of lib/quant's quantizeActivations, bit for bit:
   * this.quantizeActivations), then gemmQ's kernels. Equals gemmQ(h, quantizeActivations(x, M, cols, bits)).
   */
  gemmA(h: GemmHandle, x: Float32Array, M: number, bits: number, out?: Float32Array): Float32Array {
    const l = this.live(h);
    if (h.kind === "f32") throw new TypeError("gemm kernel: gemmA needs a packed matrix (loadPackedMatrix)");
    this.checkShape(M, x.length, l.cols, "x");
    const y = this.output(out, M, l.rows);
    const cp = this.heap.alloc(M * l.cols), tp = this.heap.alloc(M * 8);
    try {
      this.quantizeInto(x, M, l.cols, bits, cp, tp);
      this.runQ(h, M, cp, tp, y);
    } finally {
      this.heap.release(cp);
      this.heap.release(tp);
    }
    return y;
  }

  /** x [M, cols] quantized per token to `bits` by the wasm kernel (lib/quant's quantizeActivations, bit for bit). */
  quantizeActivations(x: Float32Array, M: number, cols: number, bits: number): QuantizedActivations {
    this.checkShape(M, x.length, cols, "x");
    const cp = this.heap.alloc(M * cols), tp = this.heap.alloc(M * 8);
    try {
      this.quantizeInto(x, M, cols, bits, cp, tp);
      const buf = this.memory.buffer, tf = new Float32Array(buf, tp, 2 * M), ti = new Int32Array(buf, tp, 2 * M);
      return {
        bits: bits as QuantizedActivations["bits"], rows: M, cols,
        codes: new Uint8Array(buf, cp, M * cols).slice(),
        scales: Float32Array.from({ length: M }, (_, t) => tf[2 * t]!),
        zeros: Float32Array.from({ length: M }, (_, t) => ti[2 * t + 1]!),
      };
    } finally {
      this.heap.release(cp);
      this.heap.release(tp);
    }
  }

  /** x copied into wasm memory and quantized there: codes at cp [M, cols], tok records at tp */
  private quantizeInto(x: Float32Array, M: number, cols: number, bits: number, cp: number, tp: number): void {
    if (!(Number.isInteger(bits) && bits >= 2 && bits <= 8)) throw new RangeError(`gemm kernel: activation bits ${bits} outside 2..8`);
    const xp = this.heap.alloc(M * cols * 4);
    try {
      new Float32Array(this.memory.buffer, xp, M * cols).set(x);
      this.pick(this.kernels.quantActs)(xp, M, cols, 2 ** bits - 1, cp, tp);
    } finally {
      this.heap.release(xp);
    }
  }

  /** codes at cp [M, cols] and tok records at tp -> prepA -> the integer kernel -> y */
  private runQ(h: GemmHandle, M: number, cp: number, tp: number, y: Float32Array): void {
    const l = h.layout, k = this.kernels;
    const relaxed = h.kind === "w4" && this.useRelaxed ? k.w4a8Relaxed : null;
    const xp = this.heap.alloc(M * l.kp * 2), sp = this.heap.alloc(M * l.ng * 4), yp = this.heap.alloc(M * l.rows * 4);
    // several tokens: one 4-row block widened to i16 at a time (gemm.ts gemmI16)
    const wp = M > 1 ? this.heap.alloc(8 * l.kp) : 0;
    try {
      this.pick(k.prepA)(cp, M, l.ng, l.groupSize, l.gp, tp, xp, sp, relaxed ? A8S : A16);
      const fn = relaxed ? this.pick(relaxed)
        : h.kind === "w4" ? this.pick(k.w4a8)
        : this.useV1 && this.useSimd ? k.w8a8V1 : this.pick(k.w8a8);
      fn(h.weights, h.meta, l.rows, l.ng, l.gp, l.groupSize, xp, sp, tp, M, yp, wp);
      y.set(new Float32Array(this.memory.buffer, yp, M * l.rows));
    } finally {
      for (const p of [xp, sp, yp]) this.heap.release(p);
      if (wp) this.heap.release(wp);
    }
  }

  private live(h: GemmHandle): Layout {
    if (h.freed) throw new Error("gemm kernel: matrix handle used after free()");
    if (h.owner !== this) throw new Error("gemm kernel: matrix handle belongs to another kernel instance");
    return h.layout;
  }

  private checkShape(M: number, length: number, cols: number, what: string): void {
    if (!(Number.isInteger(M) && M > 0)) throw new RangeError(`gemm kernel: M = ${M} must be a positive integer`);
    if (length !== M * cols) throw new RangeError(`gemm kernel: ${what} has ${length} values, expected M x cols = ${M} x ${cols}`);
  }

  private output(out: Float32Array | undefined, M: number, rows: number): Float32Array {
    if (!out) return new Float32Array(M * rows);
    if (out.length !== M * rows) throw new RangeError(`gemm kernel: out has ${out.length} values, expected M x rows = ${M} x ${rows}`);
    return out;
  }
}
