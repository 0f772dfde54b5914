/**
 * computeTensorStats: every TensorStats field of one tensor, streaming its raw chunks.
 *
 * Pass 1 runs the fused decode + moments kernel on each chunk of `source.readRaw(t)` (or, for a
 * file or Blob shard holding the tensor contiguously, chunks read straight into wasm memory). The
 * histogram and outlier_fraction need the final mean/std/min/max, and are computed exactly:
 * a tensor of at most HISTOGRAM_RETAIN_BYTES (as the kernel reads it: raw f32/bf16/f16, other
 * dtypes decoded to f32) stays in wasm memory and pass 2 sweeps it there; a larger one is
 * read from the source a second time. bf16/f16 tensors need no second pass: their key
 * histogram (keys.ts) holds every value exactly. Definitions: DESIGN.md (population std, Pearson kurtosis,
 * non-finite values counted and skipped, empty -> nulls, single value -> std 0, kurtosis null).
 */
import type { TensorInfo, TensorSource } from "../../formats/types.ts";
import { HISTOGRAM_RETAIN_BYTES, StatsAccumulator } from "./accumulator.ts";
import { channelProfile, DEFAULT_TOP_K } from "../channels.ts";
import { absmax, extentOrNull } from "../extent.ts";
import { DEFAULT_HISTOGRAM_BINS, histogramEdges, MAX_HISTOGRAM_BINS } from "../histogram.ts";
import { kurtosis } from "../moments.ts";
import { keySweep, keyTable } from "./keys.ts";
import { outlierFraction } from "../outliers.ts";
import { stateStd, sweepParams, type AccumulatorState, type SweepResult } from "./state.ts";
import type { TensorStats } from "../types.ts";
import type { StatsPool } from "./pool.ts";
import { directShard, readDirect } from "./direct.ts";

export interface TensorStatsOptions {
  /** SIMD kernels (default) or their scalar twins */
  simd?: boolean;
  /** histogram bins, default 64, at most MAX_HISTOGRAM_BINS */
  histogramBins?: number;
  /** top channels per axis, default 16 */
  topK?: number;
  /** bytes of this tensor processed so far (both passes count when the tensor is read twice) */
  onProgress?: (bytesDone: number) => void;
  signal?: AbortSignal;
  /** retain budget in bytes (default HISTOGRAM_RETAIN_BYTES) */
  retainBytes?: number;
  /**
   * Pool only: keep a tensor that fits the retain budget in the workers' wasm memory during the
   * load and run pass 1 afterwards on all workers at once (StatsPool.load / pass1), instead of
   * on each chunk as it arrives (the default, which overlaps reading and computing).
   */
  deferPass1?: boolean;
  /** chunk size in bytes (default DEFAULT_CHUNK_BYTES of lib/formats/types.ts) */
  chunkBytes?: number;
  /** spread the chunks over these workers (pool-node.ts createNodeStatsPool, or Web Workers) */
  pool?: StatsPool;
}

/** Statistics of tensor `t` of `source`: one streaming pass, plus an exact second pass (in memory when it fits). */
export async function computeTensorStats(source: TensorSource, t: TensorInfo, opts: TensorStatsOptions = {}): Promise<TensorStats> {
  const bins = checkBins(opts.histogramBins ?? DEFAULT_HISTOGRAM_BINS);
  if (opts.pool) return opts.pool.computeTensorStats(source, t, { ...opts, pool: undefined });
  const acc = await StatsAccumulator.create(t, { simd: opts.simd, retainBytes: opts.retainBytes ?? HISTOGRAM_RETAIN_BYTES });
  try {
    let done = 0;
    const direct = directShard(source, t);
    if (direct) {
      // chunks read straight into wasm memory
      await readDirect(direct, t, (bytes) => acc.reserveChunk(bytes), (bytes) => {
        acc.commitChunk();
        opts.onProgress?.((done += bytes));
      }, opts.signal, opts.chunkBytes);
    } else {
      for await (const chunk of source.readRaw(t, opts.chunkBytes)) {
        opts.signal?.throwIfAborted();
        acc.push(chunk);
        opts.onProgress?.((done += chunk.length));
      }
    }
    const state = acc.state();
    const p = sweepParams(state, bins);
    let sweep: SweepResult | null = null;
    if (p && state.keys) sweep = keySweep(state.keys.counts, keyTable(state.keys.dtype), p);
    else if (p) {
      acc.resetSweep(bins);
      if (acc.retaining) acc.sweepRetained(p);
      else {
        for await (const chunk of source.readRaw(t, opts.chunkBytes)) {
          opts.signal?.throwIfAborted();
          acc.sweepChunk(chunk, p);
          opts.onProgress?.((done += chunk.length));
        }
      }
      sweep = acc.sweepResult(bins);
    }
    return toTensorStats(t, state, sweep, { bins, topK: opts.topK ?? DEFAULT_TOP_K });
  } finally {
    acc.release();
  }
}

/** Assembles TensorStats from the merged pass-1 state and pass-2 result (null when no finite value). */
export function toTensorStats(t: TensorInfo, s: AccumulatorState, sweep: SweepResult | null, o: { bins: number; topK: number }): TensorStats {
  const n = s.moments.n;
  const std = stateStd(s);
  const abs = absmax(s.extent);
  const { min, max } = extentOrNull(s.extent);
  let histogram: TensorStats["histogram"] = null;
  if (sweep && min !== null && max !== null) {
    const counts = sweep.counts.slice();
    if (min === max) [counts[0], counts[o.bins >> 1]] = [0, counts[0]!]; // numpy: constant -> middle bin
    histogram = { edges: histogramEdges(min, max, o.bins), counts };
  }
  const out: TensorStats = {
    name: t.name, shape: t.shape, dtype: t.dtype, numel: t.numel, count: n,
    absmax: abs, mean: n === 0 ? null : s.moments.mean, std,
    kurtosis: n === 0 ? null : kurtosis(s.moments),
    min, max,
    nan_count: s.counts.nan, inf_count: s.counts.inf, zero_count: sweep?.zero ?? 0,
    outlier_fraction: sweep ? outlierFraction(sweep.outliers, n) : null,
    absmax_over_std: std && abs !== null ? abs / std : null,
    histogram,
  };
  if (s.cols && s.rows) out.channels = { cols: channelProfile(s.cols, o.topK), rows: channelProfile(s.rows, o.topK) };
  return t.layout === "in_out" ? asOutIn(out) : out;
}

/**
 * A weight stored transposed ([in, out], ONNX MatMul inputs) reported as the linear weight
 * it is: shape [out, in], and the stored columns are its output channels.
 */
function asOutIn(s: TensorStats): TensorStats {
  if (s.shape.length !== 2) return s;
  const channels = s.channels && { cols: s.channels.rows, rows: s.channels.cols };
  return { ...s, shape: [s.shape[1]!, s.shape[0]!], ...(channels ? { channels } : {}) };
}

function checkBins(bins: number): number {
  if (!Number.isInteger(bins) || bins < 1 || bins > MAX_HISTOGRAM_BINS) {
    throw new RangeError(`stats: histogramBins ${bins} outside [1, ${MAX_HISTOGRAM_BINS}]`);
  }
  return bins;
}
