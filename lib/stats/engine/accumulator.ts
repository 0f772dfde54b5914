/**
 * StatsAccumulator: streams raw tensor chunks through the wasm kernel (pass 1: power sums about a
 * pilot shift and power-of-two scale, extent, NaN/Inf counts, channel absmax), keeps them in wasm
 * memory while the tensor fits HISTOGRAM_RETAIN_BYTES, and runs pass 2 (zeros, outliers,
 * histogram) once the final mean/std/min/max are known. Its plain `state()` merges across chunks
 * and workers. Chunks arrive either as bytes (`push`) or straight into wasm memory
 * (`reserveChunk` + `commitChunk`: a file source reads into the returned view, no copy).
 * With `deferPass1`, retained chunks are only stored and pass 1 runs at `state()` (the pool's
 * load-then-compute path, whose compute phase the bench times).
 *
 * bf16/f16 tensors take the key-histogram kernel instead (keys.ts): exact in one pass, so
 * nothing is retained and pass 2 is read off the counts.
 *
 * Wasm memory layout (bytes): [0, 96) pass-1 accumulators, [128, 224) pilot accumulators,
 * [1024, COLS_PTR) 4 sub-histograms and the sweep's scratch (sweepScratchBytes of the largest need:
 * MAX_HISTOGRAM_BINS, or the pair tables at 64 bins), then cols f32[cols] (u16 for keys),
 * row scratch f32[ROW_SCRATCH], key tables u32[2][65536] (bf16/f16 only), then data
 * (16-aligned): retained chunks back to back, or one chunk.
 */
import { ACC, ACC_BYTES, acquireStatsKernel, isKernelDType, kernelElementSize, sweepScratchBytes, type KernelDType, type StatsKernel } from "../../kernels/stats-kernel.ts";
import { decodeToF32 } from "../../tensor/decode.ts";
import { FormatError } from "../../formats/errors.ts";
import type { DType } from "../../tensor/dtypes.ts";
import { channelView } from "../channels.ts";
import { rowRuns } from "./row-runs.ts";
import { MAX_HISTOGRAM_BINS } from "../histogram.ts";
import { emptyState, mergeStates, type AccumulatorState, type SweepParams, type SweepResult } from "./state.ts";
import { Moments } from "../moments.ts";
import { keyStats, keyTable, type KeyDType } from "./keys.ts";
import { foldSubHistograms } from "../histogram.ts";

/** Tensors up to this many (decoded-for-the-kernel) bytes stay in wasm memory for pass 2; larger ones are re-read. */
export const HISTOGRAM_RETAIN_BYTES = 256 * 1024 * 1024;
/** rows per kernel call (bounds the row scratch to 256 KiB) */
const ROW_SCRATCH = 65536;
/** elements the shift is estimated from */
const PILOT_ELEMENTS = 4096;
/** no scaling while the pilot std lies in [2^-20, 2^20]: d^4 of up to 2^8 std stays a normal f32 */
const SCALE_FREE_LOG2 = 20;
const align16 = (x: number) => Math.ceil(x / 16) * 16;
const ACC_PTR = 0, PILOT_PTR = 128, HIST_PTR = 1024;
const COLS_PTR = HIST_PTR + align16(Math.max(sweepScratchBytes(MAX_HISTOGRAM_BINS), sweepScratchBytes(64)));
/** one u32[65536] key table; the SIMD kernel counts odd elements into a second one */
const KEYS_BYTES = 4 * 65536;

export interface TensorLayout { dtype: DType; shape: number[]; numel: number; /** for errors */ name?: string }

/** float32's largest finite value: F64 values beyond it would become Inf in the f32 kernels. */
const F32_MAX = 3.4028234663852886e38;

/** Throws FormatError for a finite F64 value beyond the float32 range (it would be counted as Inf). */
function checkF32Range(t: TensorLayout, chunk: Uint8Array, f: Float32Array): void {
  for (let i = 0; i < f.length; i++) {
    if (Number.isFinite(f[i]!)) continue;
    const v = new DataView(chunk.buffer, chunk.byteOffset + i * 8, 8).getFloat64(0, true);
    if (Number.isFinite(v) && Math.abs(v) > F32_MAX) {
      throw new FormatError(t.name ?? "tensor", "F64 values", `${v} is beyond the float32 range (±3.4e38) the statistics run in; it would be counted as Inf`);
    }
  }
}

export class StatsAccumulator {
  /** pass-1 shift (an f32 value) and power-of-two scale: sums of ((x - shift) scale)^k */
  private shift: number | null = null;
  private scale = 1;
  /** retained segments pass 1 has not seen yet (deferPass1): [ptr, n, element offset] */
  private pending: Array<[ptr: number, n: number, offset: number]> = [];
  /** views handed out by reserveChunk, oldest first, until commitChunk */
  private reserved: Array<{ ptr: number; bytes: number; scratch: Uint8Array | null }> = [];
  /** non-retaining: size of each of the two alternating chunk slots */
  private slotBytes = 0;
  private slotIndex = 0;
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

  private constructor(readonly t: TensorLayout, private readonly k: StatsKernel, retainBytes: number, private readonly defer = false) {
    this.kd = isKernelDType(t.dtype) ? t.dtype : "F32";
    this.view = channelView(t.shape);
    this.rows = this.view ? new Float32Array(this.view.rows) : null;
    this.rows16 = this.view && (t.dtype === "BF16" || t.dtype === "F16") ? new Uint16Array(this.view.rows) : null;
    this.keyed = t.dtype === "BF16" || t.dtype === "F16" ? t.dtype : null;
    this.rowsPtr = COLS_PTR + align16(4 * (this.view?.cols ?? 0));
    this.keysPtr = this.rowsPtr + 4 * ROW_SCRATCH;
    this.dataPtr = this.keysPtr + (this.keyed ? 2 * KEYS_BYTES : 0);
    // bf16/f16 need no pass 2, so they are retained only to defer pass 1 (the pool's load phase)
    this.retaining = (!this.keyed || defer) && t.numel * kernelElementSize(this.kd) <= retainBytes;
    k.reserve(this.dataPtr);
    k.resetAcc(ACC_PTR);
    if (this.view) k.f32(COLS_PTR, this.view.cols).fill(0);
    if (this.keyed) k.u32(this.keysPtr, 2 * 65536).fill(0);
  }

  /** An accumulator holding its own kernel instance until release(). */
  static async create(t: TensorLayout, opts: { simd?: boolean; retainBytes?: number; deferPass1?: boolean } = {}): Promise<StatsAccumulator> {
    const k = await acquireStatsKernel();
    k.useSimd = opts.simd ?? true;
    return new StatsAccumulator(t, k, opts.retainBytes ?? HISTOGRAM_RETAIN_BYTES, opts.deferPass1 ?? false);
  }

  /** Pass 1 over raw bytes of whole elements starting at element `offset` (default: after the previous chunk). */
  push(chunk: Uint8Array, offset = this.next): void {
    if (this.reserved.length && !this.reserved[0]!.scratch) throw new Error("StatsAccumulator: push while a reserved chunk is pending");
    const { ptr, n } = this.load(chunk, this.slot());
    this.accept(ptr, n, offset);
  }

  /**
   * A view of `bytes` bytes of wasm memory where the next chunk's raw bytes go (dtypes the kernel
   * decodes; others get a plain scratch buffer, decoded at commit). Chunks are committed in the
   * order they were reserved; one more chunk may be reserved (and read into) while the previous
   * one is committed. Reserving may grow memory, which detaches earlier views: finish writing
   * into a view before reserving the next.
   */
  reserveChunk(bytes: number): Uint8Array {
    if (!isKernelDType(this.t.dtype)) {
      const scratch = new Uint8Array(bytes);
      this.reserved.push({ ptr: 0, bytes, scratch });
      return scratch;
    }
    let ptr: number;
    if (this.retaining) {
      ptr = this.slot() + this.reserved.reduce((a, r) => a + align16(r.bytes), 0);
    } else {
      // two alternating slots: the one being read into and the one being committed
      if (bytes > this.slotBytes) {
        if (this.reserved.length) throw new Error("StatsAccumulator: a larger chunk reserved while another is pending");
        [this.slotBytes, this.slotIndex] = [align16(bytes), 0];
      }
      ptr = this.dataPtr + (this.slotIndex++ % 2) * this.slotBytes;
    }
    this.k.reserve(ptr + bytes);
    this.reserved.push({ ptr, bytes, scratch: null });
    return new Uint8Array(this.k.memory.buffer, ptr, bytes);
  }

  /** Pass 1 (or, with deferPass1, retention only) of the oldest chunk written into a reserveChunk view. */
  commitChunk(offset = this.next): void {
    const r = this.reserved.shift();
    if (!r) throw new Error("StatsAccumulator: commitChunk without reserveChunk");
    if (r.scratch) return this.push(r.scratch, offset);
    const es = kernelElementSize(this.kd);
    if (r.bytes % es !== 0) throw new RangeError(`stats: chunk of ${r.bytes} bytes is not whole ${this.t.dtype} elements`);
    this.accept(r.ptr, r.bytes / es, offset);
  }

  /** where the next chunk goes: after the retained ones, or the single chunk slot */
  private slot(): number {
    return this.retaining ? this.dataPtr + this.retainedBytes : this.dataPtr;
  }

  private accept(ptr: number, n: number, offset: number): void {
    if (this.retaining) {
      this.segments.push([ptr, n]);
      this.retainedBytes += align16(n * kernelElementSize(this.kd));
    }
    this.next = offset + n;
    if (this.defer && this.retaining) this.pending.push([ptr, n, offset]);
    else this.pass1Chunk(ptr, n, offset);
  }

  private pass1Chunk(ptr: number, n: number, offset: number): void {
    if (this.keyed) return this.pass1(ptr, n, offset, 0, ACC_PTR, true);
    if (this.shift === null) this.pilot(ptr, n);
    this.pass1(ptr, n, offset, this.shift ?? 0, ACC_PTR, true);
  }

  /** Runs pass 1 over chunks retained with deferPass1 and not yet seen (state() does it too). */
  runPass1(): void {
    for (const [ptr, n, offset] of this.pending.splice(0)) this.pass1Chunk(ptr, n, offset);
  }

  /** Folds another accumulator's state (another worker's chunks of the same tensor) into this one. */
  merge(o: AccumulatorState): this {
    this.extra = mergeStates(this.extra ?? emptyState(), o);
    return this;
  }

  /** Plain, structured-clone safe snapshot of pass 1 (plus merged states). */
  state(): AccumulatorState {
    this.runPass1();
    const s = this.keyed ? this.keyState(this.keyed) : this.sumState();
    return this.extra ? mergeStates(s, this.extra) : s;
  }

  private sumState(): AccumulatorState {
    const a = this.k.f64(ACC_PTR, ACC_BYTES / 8);
    const [min, max] = [a[ACC.MIN]!, a[ACC.MAX]!];
    const u = 1 / this.scale; // exact: a power of two
    const m = min === max ? Object.assign(new Moments(), { n: a[ACC.N]!, mean: min })
      : Moments.fromPowerSums(a[ACC.N]!, this.shift ?? 0, a[ACC.S1]! * u, a[ACC.S2]! * u ** 2, a[ACC.S3]! * u ** 3, a[ACC.S4]! * u ** 4);
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
      if (this.t.dtype === "F64") checkF32Range(this.t, chunk, f);
      bytes = new Uint8Array(f.buffer, f.byteOffset, f.byteLength);
    }
    const es = kernelElementSize(this.kd);
    if (bytes.length % es !== 0) throw new RangeError(`stats: chunk of ${bytes.length} bytes is not whole ${this.t.dtype} elements`);
    this.k.reserve(ptr + bytes.length);
    this.k.bytes.set(bytes, ptr);
    return { ptr, n: bytes.length / es };
  }

  /**
   * Chooses shift and scale from the finite values among the first PILOT_ELEMENTS of the first
   * chunk holding one (float64, two passes): shift = f32(mean), or 0 (one op less per vector)
   * when |mean| <= std / 64, so that S2 - S1^2 / n does not cancel when |mean| >> std; scale =
   * 2^-round(log2 std) when std lies outside [2^-SCALE_FREE_LOG2, 2^SCALE_FREE_LOG2], so that
   * f32 powers d^4 neither underflow nor overflow (a power of two: exact, undone exactly).
   * Only the non-keyed path comes here, whose kernel dtype is always F32.
   */
  private pilot(ptr: number, n: number): void {
    const x = this.k.f32(ptr, Math.min(n, PILOT_ELEMENTS));
    let c = 0, sum = 0;
    for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i]!)) { c++; sum += x[i]!; }
    if (c === 0) return;
    const mean = sum / c;
    let m2 = 0;
    for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i]!)) m2 += (x[i]! - mean) ** 2;
    const std = Math.sqrt(m2 / c);
    this.shift = Math.abs(mean) <= std / 64 ? 0 : Math.fround(mean);
    const e = std > 0 ? Math.round(Math.log2(std)) : 0;
    this.scale = Math.abs(e) > SCALE_FREE_LOG2 ? 2 ** -e : 1;
  }

  /** Kernel calls over [ptr, n) split at row boundaries of the [rows, cols] view (row-runs.ts). */
  private pass1(ptr: number, n: number, offset: number, shift: number, acc: number, channels: boolean): void {
    const k = this.k, kd = this.kd, es = kernelElementSize(kd), key = this.keyed, cs = key ? 2 : 4;
    if (!this.view) return key ? k.keys(key, ptr, 1, n, this.keysPtr) : k.stats(kd, ptr, 1, n, shift, acc, 0, 0, this.scale);
    for (const { row, col, rows, len, start } of rowRuns(offset, n, this.view.cols, ROW_SCRATCH)) {
      const p = ptr + start * es;
      const [colPtr, rowPtr] = channels ? [COLS_PTR + cs * col, this.rowsPtr] : [0, 0];
      if (key) k.keys(key, p, rows, len, this.keysPtr, colPtr, rowPtr);
      else k.stats(kd, p, rows, len, shift, acc, colPtr, rowPtr, this.scale);
      if (!channels) continue;
      // row maxima of this call into the tensor's rows (u16 patterns compare like their values)
      const got = key ? k.u16(rowPtr, rows) : k.f32(rowPtr, rows), dst = key ? this.rows16! : this.rows!;
      for (let r = 0; r < rows; r++) if (got[r]! > dst[row + r]!) dst[row + r] = got[r]!;
    }
  }
}
