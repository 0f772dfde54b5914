/**
 * Typed wrapper of kernels-wasm/assembly/stats.ts. Owns one wasm instance and its memory
 * (grown on demand up to MAX_KERNEL_MEMORY_BYTES), checks pointers, lengths and alignment
 * once per call, and selects the SIMD kernel or its scalar twin (`useSimd`) from one dispatch
 * table (dispatchTable: every wasm export by name). The module is compiled once per thread from
 * the embedded bytes (no fetch paths: Node and Web Workers).
 */
import { WASM_BASE64 } from "./generated/stats-wasm.ts";

/** dtypes the kernel decodes itself; others go through decodeToF32 first */
export type KernelDType = "F32" | "BF16" | "F16";
const KIND: Record<KernelDType, number> = { F32: 0, BF16: 1, F16: 2 };
const ESIZE: Record<KernelDType, number> = { F32: 4, BF16: 2, F16: 2 };
/** f64 slots of the accumulator block (byte offset = 8 x slot), as in stats.ts ACC_* */
export const ACC = { N: 0, S1: 1, S2: 2, S3: 3, S4: 4, MIN: 5, MAX: 6, NAN: 7, INF: 8, ZERO: 9, OUT: 10 } as const;
export const ACC_BYTES = 96;
/** bounds growth: a retained tensor (256 MiB) plus a chunk and channel arrays fit with room */
export const MAX_KERNEL_MEMORY_BYTES = 1024 * 1024 * 1024;
const PAGE = 65536;

/** stats*: pass 1 */
type StatsFn = (src: number, rows: number, rowLen: number, shift: number, acc: number, col: number, row: number, scale: number) => void;
/** keys*: pass 1 of 16-bit floats */
type KeysFn = (src: number, rows: number, rowLen: number, keys: number, col: number, row: number) => void;
/** sweep*: pass 2 */
type SweepFn = (src: number, n: number, lo: number, hi: number, hmin: number, hscale: number,
  bins: number, hist: number, acc: number, checked: number) => void;
/** exports of stats.ts */
interface Exports {
  memory: WebAssembly.Memory;
  decode(kind: number, src: number, n: number, dst: number, simd: number): void;
  statsF32: StatsFn; statsF32Ref: StatsFn; statsBf16: StatsFn; statsBf16Ref: StatsFn; statsF16: StatsFn; statsF16Ref: StatsFn;
  sweepF32: SweepFn; sweepF32Ref: SweepFn; sweepBf16: SweepFn; sweepBf16Ref: SweepFn; sweepF16: SweepFn; sweepF16Ref: SweepFn;
  keysBf16: KeysFn; keysBf16Ref: KeysFn; keysF16: KeysFn; keysF16Ref: KeysFn;
}

/** a SIMD kernel and its scalar twin (same signature) */
interface Twin<F> { simd: F; ref: F }

/** Every pass kernel by pass and dtype: one named caller per wasm export. */
function dispatchTable(ex: Exports) {
  return {
    stats: {
      F32: { simd: ex.statsF32, ref: ex.statsF32Ref },
      BF16: { simd: ex.statsBf16, ref: ex.statsBf16Ref },
      F16: { simd: ex.statsF16, ref: ex.statsF16Ref },
    },
    sweep: {
      F32: { simd: ex.sweepF32, ref: ex.sweepF32Ref },
      BF16: { simd: ex.sweepBf16, ref: ex.sweepBf16Ref },
      F16: { simd: ex.sweepF16, ref: ex.sweepF16Ref },
    },
    keys: {
      BF16: { simd: ex.keysBf16, ref: ex.keysBf16Ref },
      F16: { simd: ex.keysF16, ref: ex.keysF16Ref },
    },
  } satisfies Record<string, Partial<Record<KernelDType, Twin<unknown>>>>;
}

let compiled: Promise<WebAssembly.Module> | null = null;
const idle: StatsKernel[] = [];

/** Compiles the embedded module once per thread. */
function statsModule(): Promise<WebAssembly.Module> {
  if (!compiled) {
    const bin = atob(WASM_BASE64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    compiled = WebAssembly.compile(bytes);
  }
  return compiled;
}

/** A kernel instance with its own memory; reuses a released one when there is one. */
export async function acquireStatsKernel(): Promise<StatsKernel> {
  const k = idle.pop();
  if (k) return k;
  const instance = await WebAssembly.instantiate(await statsModule(), {});
  return new StatsKernel(instance.exports as unknown as Exports);
}

export class StatsKernel {
  /** SIMD kernels (true) or their scalar reference twins (false) */
  useSimd = true;
  private readonly kernels: ReturnType<typeof dispatchTable>;
  constructor(private readonly ex: Exports) {
    this.kernels = dispatchTable(ex);
  }

  /** the SIMD kernel or its scalar twin, as useSimd says */
  private pick<F>(t: Twin<F>): F {
    return this.useSimd ? t.simd : t.ref;
  }

  /** Whole wasm memory as bytes (a fresh view: memory may have grown). */
  get bytes(): Uint8Array { return new Uint8Array(this.ex.memory.buffer); }
  /** The instance's memory (views of its buffer detach when it grows). */
  get memory(): WebAssembly.Memory { return this.ex.memory; }
  get size(): number { return this.ex.memory.buffer.byteLength; }
  /** f64 view starting at byte offset `ptr` (8-aligned). */
  f64(ptr: number, n: number): Float64Array { return new Float64Array(this.ex.memory.buffer, ptr, n); }
  f32(ptr: number, n: number): Float32Array { return new Float32Array(this.ex.memory.buffer, ptr, n); }
  u32(ptr: number, n: number): Uint32Array { return new Uint32Array(this.ex.memory.buffer, ptr, n); }
  u16(ptr: number, n: number): Uint16Array { return new Uint16Array(this.ex.memory.buffer, ptr, n); }

  /** Grows memory to hold at least `bytes`; RangeError past MAX_KERNEL_MEMORY_BYTES. */
  reserve(bytes: number): void {
    if (bytes > MAX_KERNEL_MEMORY_BYTES) {
      throw new RangeError(`stats kernel: ${bytes} bytes asked, above MAX_KERNEL_MEMORY_BYTES ${MAX_KERNEL_MEMORY_BYTES}`);
    }
    const have = this.ex.memory.buffer.byteLength;
    if (bytes > have) this.ex.memory.grow(Math.ceil((bytes - have) / PAGE));
  }

  /** Zeroes the accumulator block at `acc` (min = +inf, max = -inf). */
  resetAcc(acc: number): void {
    const a = this.f64(acc, ACC_BYTES / 8).fill(0);
    a[ACC.MIN] = Infinity;
    a[ACC.MAX] = -Infinity;
  }

  /**
   * Pass 1 over [rows, rowLen] elements at `src`: power sums of d = (x - shift) * scale (shift and
   * scale are used as f32; scale should be a power of two so that it is exact), extent, counts,
   * channel absmax.
   */
  stats(dtype: KernelDType, src: number, rows: number, rowLen: number, shift: number, acc: number, colAbs = 0, rowAbs = 0, scale = 1): void {
    const n = rows * rowLen;
    this.check(src, n * ESIZE[dtype], ESIZE[dtype]);
    this.check(acc, ACC_BYTES, 8);
    if (colAbs) this.check(colAbs, rowLen * 4, 4);
    if (rowAbs) this.check(rowAbs, rows * 4, 4);
    this.pick(this.kernels.stats[dtype])(src, rows, rowLen, shift, acc, colAbs, rowAbs, scale);
  }

  /** Pass 2 over `n` elements: zero count, outliers outside [lo, hi], histogram into 4 x bins u32 at `hist`
   * (scratch after them: `sweepScratchBytes(bins)` bytes in all). */
  sweep(dtype: KernelDType, src: number, n: number, lo: number, hi: number, hmin: number, hscale: number,
    bins: number, hist: number, acc: number, checked: boolean): void {
    this.check(src, n * ESIZE[dtype], ESIZE[dtype]);
    this.check(hist, sweepScratchBytes(bins), 4);
    this.check(acc, ACC_BYTES, 8);
    this.pick(this.kernels.sweep[dtype])(src, n, lo, hi, hmin, hscale, bins, hist, acc, checked ? 1 : 0);
  }

  /**
   * Pass 1 of a 16-bit float tensor: adds each element's bit pattern into u32 keys[65536] at `keys`
   * and max-merges |x| bit patterns (finite only) into u16 colAbs[rowLen], writes u16 rowAbs[rows].
   */
  keys(dtype: "BF16" | "F16", src: number, rows: number, rowLen: number, keys: number, colAbs = 0, rowAbs = 0): void {
    this.check(src, rows * rowLen * 2, 2);
    this.check(keys, 4 * 65536, 4);
    if (colAbs) this.check(colAbs, rowLen * 2, 2);
    if (rowAbs) this.check(rowAbs, rows * 2, 2);
    this.pick(this.kernels.keys[dtype])(src, rows, rowLen, keys, colAbs, rowAbs);
  }

  /** Decodes `n` elements at `src` to f32 at `dst` (tests check decode bit for bit). */
  decode(dtype: KernelDType, src: number, n: number, dst: number): void {
    this.check(src, n * ESIZE[dtype], ESIZE[dtype]);
    this.check(dst, n * 4, 4);
    this.ex.decode(KIND[dtype], src, n, dst, this.useSimd ? 1 : 0);
  }

  /** Returns the instance to this thread's idle list (at most 2 are kept). */
  release(): void {
    this.useSimd = true;
    if (idle.length < 2 && !idle.includes(this)) idle.push(this);
  }

  private check(ptr: number, bytes: number, align: number): void {
    if (!Number.isInteger(ptr) || ptr < 0 || ptr % align !== 0 || ptr + bytes > this.size || bytes > 2 ** 31) {
      throw new RangeError(`stats kernel: range [${ptr}, ${ptr + bytes}) align ${align} outside memory of ${this.size} bytes`);
    }
  }
}

/** Element size in bytes of a kernel dtype. */
export function kernelElementSize(dtype: KernelDType): number { return ESIZE[dtype]; }
/** True when the kernel decodes `dtype` itself. */
export function isKernelDType(dtype: string): dtype is KernelDType { return dtype in KIND; }
/**
 * Bytes at `hist` a sweep over `bins` bins uses: the 4 public sub-histograms u32[4][bins] (summed by
 * the host), then 64 B of loop constants / lane scratch and, up to 64 bins, the 4 lane tables
 * u32[bins * bins] of pair keys (stats.ts sweepPairs, PAIR_BINS).
 */
export function sweepScratchBytes(bins: number): number { return 16 * bins + 64 + (bins <= 64 ? 16 * bins * bins : 0); }
