/**
 * StatsAccumulator: streams raw tensor chunks through the wasm kernel (pass 1: moments about a
 * pilot shift, extent, NaN/Inf counts, channel absmax), keeps them in wasm memory while the
 * tensor fits HISTOGRAM_RETAIN_BYTES, and runs pass 2 (zeros, outliers, histogram) once the
 * final mean/std/min/max are known. Its plain `state()` merges across chunks and workers.
 *
 * bf16/f16 tensors take the key-histogram kernel instead (keys.ts): exact in one pass, so
 * nothing is retained and pass 2 is read off the counts.
 *
 * Wasm memory layout (bytes): [0, 96) pass-1 accumulators, [128, 224) pilot accumulators,
 * [1024, 1024 + 16 MAX_HISTOGRAM_BINS + 64) 4 sub-histograms and lane scratch, then cols f32[cols] (u16 for keys),
 * row scratch f32[ROW_SCRATCH], key tables u32[2][65536] (bf16/f16 only), then data
 * (16-aligned): retained chunks back to back, or one chunk.
 */
import { ACC, ACC_BYTES, acquireStatsKernel, isKernelDType, kernelElementSize, type KernelDType, type StatsKernel } from "../kernels/stats-kernel.ts";
import { decodeToF32 } from "../tensor/decode.ts";
import type { DType } from "../tensor/dtypes.ts";
import { channelView } from "./channels.ts";
import { rowRuns } from "./row-runs.ts";
import { MAX_HISTOGRAM_BINS } from "./histogram.ts";
import { emptyState, mergeStates, type AccumulatorState, type SweepParams, type SweepResult } from "./state.ts";
import { Moments } from "./moments.ts";
import { keyStats, keyTable, type KeyDType } from "./keys.ts";
import { foldSubHistograms } from "./histogram.ts";

/** Tensors up to this many (decoded-for-the-kernel) bytes stay in wasm memory for pass 2; larger ones are re-read. */
export const HISTOGRAM_RETAIN_BYTES = 256 * 1024 * 1024;
/** rows per kernel call (bounds the row scratch to 256 KiB) */
const ROW_SCRATCH = 65536;
/** elements the shift is estimated from */
const PILOT_ELEMENTS = 4096;
const ACC_PTR = 0, PILOT_PTR = 128, HIST_PTR = 1024, COLS_PTR = HIST_PTR + 16 * MAX_HISTOGRAM_BINS + 64;
const align16 = (x: number) => Math.ceil(x / 16) * 16;
/** one u32[65536] key table; the SIMD kernel counts odd elements into a second one */
const KEYS_BYTES = 4 * 65536;

export interface TensorLayout { dtype: DType; shape: number[]; numel: number }

export class StatsAccumulator {
  private shift: number | null = null;
  private next = 0;
  private retainedBytes = 0;
  private segments: Array<[ptr: number, n: number]> = [];
  private extra: AccumulatorState | null = null;
  private readonly kd: KernelDType;
  private readonly view: { rows: number; cols: number } | null;
  private readonly rows: Float32Array | null;
  private readonly rows16: Uint16Array | null;
  private readonly rowsPtr: number;
  /** bf16/f16: key histogram path */
  private readonly keyed: KeyDType | null;
  private readonly keysPtr: number;
  private readonly dataPtr: number;
  /** true while every pushed chunk is kept in wasm memory (tensor fits retainBytes) */
  retaining: boolean;

  private constructor(readonly t: TensorLayout, private readonly k: StatsKernel, retainBytes: number) {
    this.kd = isKernelDType(t.dtype) ? t.dtype : "F32";
    this.view = channelView(t.shape);
    this.rows = this.view ? new Float32Array(this.view.rows) : null;
    this.rows16 = this.view && (t.dtype === "BF16" || t.dtype === "F16") ? new Uint16Array(this.view.rows) : null;
    this.keyed = t.dtype === "BF16" || t.dtype === "F16" ? t.dtype : null;
    this.rowsPtr = COLS_PTR + align16(4 * (this.view?.cols ?? 0));
    this.keysPtr = this.rowsPtr + 4 * ROW_SCRATCH;
    this.dataPtr = this.keysPtr + (this.keyed ? 2 * KEYS_BYTES : 0);
    this.retaining = !this.keyed && t.numel * kernelElementSize(this.kd) <= retainBytes;
    k.reserve(this.dataPtr);
    k.resetAcc(ACC_PTR);
    if (this.view) k.f32(COLS_PTR, this.view.cols).fill(0);
    if (this.keyed) k.u32(this.keysPtr, 2 * 65536).fill(0);
  }

  /** An accumulator holding its own kernel instance until release(). */
  static async create(t: TensorLayout, opts: { simd?: boolean; retainBytes?: number } = {}): Promise<StatsAccumulator> {
    const k = await acquireStatsKernel();
    k.useSimd = opts.simd ?? true;
    return new StatsAccumulator(t, k, opts.retainBytes ?? HISTOGRAM_RETAIN_BYTES);
  }

  /** Pass 1 over raw bytes of whole elements starting at element `offset` (default: after the previous chunk). */
  push(chunk: Uint8Array, offset = this.next): void {
    const { ptr, n } = this.load(chunk, this.retaining ? this.dataPtr + this.retainedBytes : this.dataPtr);
    if (this.retaining) {
      this.segments.push([ptr, n]);
      this.retainedBytes += align16(n * kernelElementSize(this.kd));
    }
    this.next = offset + n;
    if (this.keyed) return this.pass1(ptr, n, offset, 0, ACC_PTR, true);
    if (this.shift === null) this.pilot(ptr, n);
    this.pass1(ptr, n, offset, this.shift ?? 0, ACC_PTR, true);
  }

  /** Folds another accumulator's state (another worker's chunks of the same tensor) into this one. */
  merge(o: AccumulatorState): this {
    this.extra = mergeStates(this.extra ?? emptyState(), o);
    return this;
  }

  /** Plain, structured-clone safe snapshot of pass 1 (plus merged states). */
  state(): AccumulatorState {
    const s = this.keyed ? this.keyState(this.keyed) : this.sumState();
    return this.extra ? mergeStates(s, this.extra) : s;
  }

  private sumState(): AccumulatorState {
    const a = this.k.f64(ACC_PTR, ACC_BYTES / 8);
    const [min, max] = [a[ACC.MIN]!, a[ACC.MAX]!];
    const m = min === max ? Object.assign(new Moments(), { n: a[ACC.N]!, mean: min })
      : Moments.fromPowerSums(a[ACC.N]!, this.shift ?? 0, a[ACC.S1]!, a[ACC.S2]!, a[ACC.S3]!, a[ACC.S4]!);
    return {
      moments: { n: m.n, mean: m.mean, m2: m.m2, m3: m.m3, m4: m.m4 },
      extent: { min, max },
      counts: { nan: a[ACC.NAN]!, inf: a[ACC.INF]!, zero: 0 },
      cols: this.view ? this.k.f32(COLS_PTR, this.view.cols).slice() : null,
      rows: this.rows ? this.rows.slice() : null,
    };
  }

  /** Sums the two key tables; channel absmax u16 patterns decoded through the key table. */
  private keyState(dtype: KeyDType): AccumulatorState {
    const t = this.k.u32(this.keysPtr, 2 * 65536), counts = t.slice(0, 65536);
    for (let h = 0; h < 65536; h++) counts[h]! += t[65536 + h]!;
    const table = keyTable(dtype);
    const decode = (bits: Uint16Array) => Float32Array.from(bits, (b) => table[b]!);
    const { moments: m, extent, counts: c } = keyStats(counts, table);
    return {
      moments: { n: m.n, mean: m.mean, m2: m.m2, m3: m.m3, m4: m.m4 }, extent, counts: c,
      cols: this.view ? decode(this.k.u16(COLS_PTR, this.view.cols)) : null,
      rows: this.rows16 ? decode(this.rows16) : null,
      keys: { dtype, counts },
    };
  }

  /** Pass 2 over the retained chunks (requires `retaining`). */
  sweepRetained(p: SweepParams): void {
    if (!this.retaining) throw new Error("StatsAccumulator: chunks were not retained; sweep re-read chunks instead");
    for (const [ptr, n] of this.segments) this.k.sweep(this.kd, ptr, n, p.lo, p.hi, p.hmin, p.hscale, p.bins, HIST_PTR, ACC_PTR, p.checked);
  }

  /** Pass 2 over one re-read chunk (tensors above the retain budget). */
  sweepChunk(chunk: Uint8Array, p: SweepParams): void {
    const { ptr, n } = this.load(chunk, this.dataPtr);
    this.k.sweep(this.kd, ptr, n, p.lo, p.hi, p.hmin, p.hscale, p.bins, HIST_PTR, ACC_PTR, p.checked);
  }

  /** Clears pass-2 counters (call before the sweep). */
  resetSweep(bins: number): void {
    this.k.u32(HIST_PTR, 4 * bins).fill(0);
    const a = this.k.f64(ACC_PTR, ACC_BYTES / 8);
    a[ACC.ZERO] = 0;
    a[ACC.OUT] = 0;
  }

  /** Pass-2 results so far. */
  sweepResult(bins: number): SweepResult {
    const a = this.k.f64(ACC_PTR, ACC_BYTES / 8);
    return { zero: a[ACC.ZERO]!, outliers: a[ACC.OUT]!, counts: foldSubHistograms(this.k.u32(HIST_PTR, 4 * bins), bins) };
  }

  /** Returns the kernel instance for reuse; the accumulator is unusable afterwards. */
  release(): void {
    this.k.release();
  }

  /** Copies (decoding non-kernel dtypes to f32 first) a chunk into wasm memory at ptr. */
  private load(chunk: Uint8Array, ptr: number): { ptr: number; n: number } {
    let bytes = chunk;
    if (!isKernelDType(this.t.dtype)) {
      const f = decodeToF32(this.t.dtype, chunk);
      bytes = new Uint8Array(f.buffer, f.byteOffset, f.byteLength);
    }
    const es = kernelElementSize(this.kd);
    if (bytes.length % es !== 0) throw new RangeError(`stats: chunk of ${bytes.length} bytes is not whole ${this.t.dtype} elements`);
    this.k.reserve(ptr + bytes.length);
    this.k.bytes.set(bytes, ptr);
    return { ptr, n: bytes.length / es };
  }

  /**
   * Chooses the shift from the first PILOT_ELEMENTS of the first chunk holding a finite value:
   * their f64 mean, or 0 (one op less per vector) when |mean| <= std / 64. Sums about a shift
   * near the mean avoid the cancellation of S2 - S1^2 / n when |mean| >> std.
   */
  private pilot(ptr: number, n: number): void {
    this.k.resetAcc(PILOT_PTR);
    this.k.stats(this.kd, ptr, 1, Math.min(n, PILOT_ELEMENTS), 0, PILOT_PTR);
    const a = this.k.f64(PILOT_PTR, 3);
    if (a[0] === 0) return;
    const mean = a[1]! / a[0]!;
    const std = Math.sqrt(Math.max(0, a[2]! / a[0]! - mean * mean));
    this.shift = Math.abs(mean) <= std / 64 ? 0 : mean;
  }

  /** Kernel calls over [ptr, n) split at row boundaries of the [rows, cols] view (row-runs.ts). */
  private pass1(ptr: number, n: number, offset: number, shift: number, acc: number, channels: boolean): void {
    const k = this.k, kd = this.kd, es = kernelElementSize(kd), key = this.keyed, cs = key ? 2 : 4;
    if (!this.view) return key ? k.keys(key, ptr, 1, n, this.keysPtr) : k.stats(kd, ptr, 1, n, shift, acc);
    for (const { row, col, rows, len, start } of rowRuns(offset, n, this.view.cols, ROW_SCRATCH)) {
      const p = ptr + start * es;
      const [colPtr, rowPtr] = channels ? [COLS_PTR + cs * col, this.rowsPtr] : [0, 0];
      if (key) k.keys(key, p, rows, len, this.keysPtr, colPtr, rowPtr);
      else k.stats(kd, p, rows, len, shift, acc, colPtr, rowPtr);
      if (!channels) continue;
      // row maxima of this call into the tensor's rows (u16 patterns compare like their values)
      const got = key ? k.u16(rowPtr, rows) : k.f32(rowPtr, rows), dst = key ? this.rows16! : this.rows!;
      for (let r = 0; r < rows; r++) if (got[r]! > dst[row + r]!) dst[row + r] = got[r]!;
    }
  }
}
