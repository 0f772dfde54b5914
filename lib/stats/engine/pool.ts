/**
 * StatsPool: computeTensorStats over several workers, each owning one wasm instance. The tensor's
 * chunks (whole rows when a row fits) go round-robin to the workers; each runs a StatsAccumulator on its share
 * (retaining it in wasm memory when the tensor fits HISTOGRAM_RETAIN_BYTES; with deferPass1, pass 1
 * then runs on all workers at once after the load), the pool merges the pass-1 states (Pébay moments,
 * channel max), sends the pass-2 parameters back and sums the sweeps. Chunks travel in recycled
 * pool buffers (SharedArrayBuffer where available), filled by readInto straight from a file or
 * Blob shard, else copied from readRaw; workers copy them into wasm memory. Runtime-neutral: the
 * workers come from pool-node.ts (worker_threads) or a browser Web Worker wrapper.
 */
import type { TensorInfo, TensorSource } from "../../formats/types.ts";
import { HISTOGRAM_RETAIN_BYTES } from "./accumulator.ts";
import { DEFAULT_TOP_K } from "../channels.ts";
import { DEFAULT_HISTOGRAM_BINS } from "../histogram.ts";
import type { StatsReply, StatsRequest } from "./pool-protocol.ts";
import { emptyState, mergeStates, mergeSweeps, sweepParams, type AccumulatorState, type SweepResult } from "./state.ts";
import { toTensorStats, type TensorStatsOptions } from "./tensor-stats.ts";
import { isKernelDType, kernelElementSize } from "../../kernels/stats-kernel.ts";
import type { TensorStats } from "../types.ts";
import { BLOCKS } from "../../tensor/dtypes.ts";
import { keySweep, keyTable } from "./keys.ts";
import { chunkRanges } from "../../formats/chunks.ts";
import { directShard } from "./direct.ts";

/** Chunks in flight per worker before the reader waits (bounds queued memory to ~4 chunks each). */
export const MAX_INFLIGHT_CHUNKS = 4;
/** returned chunk buffers kept for reuse (enough for every worker's in-flight chunks) */
const MAX_FREE_BUFFERS = 64;

/** What the pool needs of a worker (node worker_thread or Web Worker). */
export interface WorkerLike {
  postMessage(msg: StatsRequest, transfer?: Transferable[]): void;
  onMessage(cb: (msg: StatsReply) => void): void;
  onError(cb: (e: Error) => void): void;
  terminate(): Promise<void>;
}

const workers = (n: number) => new Array<number>(n).fill(0);
/** SharedArrayBuffer chunk buffers: Node, or a cross-origin isolated page */
const SHARED = typeof SharedArrayBuffer !== "undefined" && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;

/** A tensor loaded into the pool's workers (load), between pass1, finish and release. */
export interface PoolTensor {
  job: number;
  source: TensorSource;
  t: TensorInfo;
  opts: TensorStatsOptions;
  /** kept in the workers' wasm memory: pass 2 sweeps it there */
  retain: boolean;
  /** bytes streamed so far (progress) */
  done: number;
}

type Waiter = { job: number; type: StatsReply["type"]; resolve: (m: StatsReply) => void; reject: (e: Error) => void };

export class StatsPool {
  private nextJob = 1;
  /** errors a worker reported while nobody waited; the job's next wait rejects with it */
  private failed = new Map<number, Error>();
  /** chunk buffers the workers gave back */
  private free: Array<ArrayBuffer | SharedArrayBuffer> = [];
  private waiters: Waiter[][];
  /** chunks posted and not yet acknowledged, per worker (all jobs) and per job and worker */
  private inflight: number[];
  private jobInflight = new Map<number, number[]>();
  /** wake-ups for loops waiting on a worker's acknowledgements */
  private pushedWaiters: Array<Array<() => void>>;

  constructor(private readonly workers: WorkerLike[]) {
    this.waiters = workers.map(() => []);
    this.inflight = workers.map(() => 0);
    this.pushedWaiters = workers.map(() => []);
    workers.forEach((w, i) => {
      w.onMessage((m) => this.receive(i, m));
      w.onError((e) => this.waiters[i]!.splice(0).forEach((x) => x.reject(e)));
    });
  }

  get size(): number { return this.workers.length; }

  /** computeTensorStats with the tensor's rows split over the workers (same result up to float64 rounding). */
  async computeTensorStats(source: TensorSource, t: TensorInfo, opts: TensorStatsOptions = {}): Promise<TensorStats> {
    const h = await this.load(source, t, opts);
    try {
      return await this.finish(h, await this.pass1(h));
    } finally {
      this.release(h);
    }
  }

  /**
   * Opens a job on every worker and streams the tensor's chunks (whole rows when a row fits) to
   * them round-robin; each worker runs pass 1 on its chunks as they arrive. With opts.deferPass1, a tensor that fits the retain budget is only copied into the
   * workers' wasm memory here and pass 1 runs in pass1(), on all workers at once.
   */
  async load(source: TensorSource, t: TensorInfo, opts: TensorStatsOptions = {}): Promise<PoolTensor> {
    const job = this.nextJob++;
    const kernelBytes = t.numel * (isKernelDType(t.dtype) ? kernelElementSize(t.dtype) : 4);
    const retain = kernelBytes <= (opts.retainBytes ?? HISTOGRAM_RETAIN_BYTES);
    const layout = { dtype: t.dtype, shape: t.shape, numel: t.numel };
    const h: PoolTensor = { job, source, t, opts, retain, done: 0 };
    const deferPass1 = retain && (opts.deferPass1 ?? false);
    this.workers.forEach((w) => w.postMessage({ type: "open", job, t: layout, simd: opts.simd ?? true, retainBytes: retain ? Infinity : 0, deferPass1 }));
    this.jobInflight.set(job, workers(this.workers.length));
    try {
      await this.stream(h, "push", {});
    } catch (e) {
      this.release(h);
      throw e;
    }
    return h;
  }

  /** Pass 1 of a loaded tensor: every worker runs it on its rows, the states are merged. */
  async pass1(h: PoolTensor): Promise<AccumulatorState> {
    const states = await this.all(h.job, "state");
    return states.reduce<AccumulatorState>((a, m) => mergeStates(a, (m as { state: AccumulatorState }).state), emptyState());
  }

  /** Pass 2 (exact histogram, outliers, zeros) from the merged pass-1 state, and the TensorStats. */
  async finish(h: PoolTensor, state: AccumulatorState): Promise<TensorStats> {
    const bins = h.opts.histogramBins ?? DEFAULT_HISTOGRAM_BINS;
    const p = sweepParams(state, bins);
    let sweep: SweepResult | null = null;
    if (p && state.keys) sweep = keySweep(state.keys.counts, keyTable(state.keys.dtype), p);
    else if (p) {
      if (h.retain) this.workers.forEach((w) => w.postMessage({ type: "sweep", job: h.job, params: p }));
      else await this.stream(h, "sweep", { params: p });
      const results = await this.all(h.job, "sweepResult");
      sweep = results.map((m) => (m as { result: SweepResult }).result).reduce(mergeSweeps);
    }
    return toTensorStats(h.t, state, sweep, { bins, topK: h.opts.topK ?? DEFAULT_TOP_K });
  }

  /** Closes the job on every worker (frees their accumulators). */
  release(h: PoolTensor): void {
    this.failed.delete(h.job);
    this.jobInflight.delete(h.job);
    this.workers.forEach((w) => w.postMessage({ type: "close", job: h.job }));
  }

  /**
   * Posts the tensor's chunks round-robin. Each chunk goes through a pool buffer
   * (a SharedArrayBuffer where available, recycled; else an ArrayBuffer transferred back and
   * forth): read straight into it (readInto) when the shard allows, else copied from readRaw.
   */
  private async stream(h: PoolTensor, type: "push" | "sweep", extra: Record<string, unknown>): Promise<void> {
    const { job, source, t, opts } = h, W = this.workers.length, mine = this.jobInflight.get(job)!;
    const { bytes: bb, elements: be } = BLOCKS[t.dtype];
    let i = 0;
    const post = async (offset: number, fill: (dest: Uint8Array) => Promise<void> | void, len: number, chunk?: Uint8Array) => {
      opts.signal?.throwIfAborted();
      // round-robin: chunks arrive in order, so every worker is busy from the start
      const w = i++ % W;
      while (this.inflight[w]! >= MAX_INFLIGHT_CHUNKS) await this.acked(w, job);
      // a SharedArrayBuffer view from the source is posted as is (shared, no copy)
      const passThrough = chunk && typeof SharedArrayBuffer !== "undefined" && chunk.buffer instanceof SharedArrayBuffer;
      const buf = passThrough ? chunk : this.buffer(len);
      if (!passThrough) await fill(buf);
      this.inflight[w]!++;
      mine[w]!++;
      const transfer = buf.buffer instanceof ArrayBuffer ? [buf.buffer] : [];
      this.workers[w]!.postMessage({ type, job, chunk: buf, offset, recycle: !passThrough, ...extra } as StatsRequest, transfer);
      opts.onProgress?.((h.done += len));
    };
    const direct = directShard(source, t);
    if (direct) {
      for (const [pos, len] of chunkRanges(t, opts.chunkBytes)) {
        await post((pos / bb) * be, (dest) => direct.readInto(t.byteOffset + pos, dest), len);
      }
    } else {
      let offset = 0;
      for await (const chunk of source.readRaw(t, opts.chunkBytes)) {
        await post(offset, (dest) => dest.set(chunk), chunk.length, chunk);
        offset += (chunk.length / bb) * be;
      }
    }
    for (let w = 0; w < W; w++) while (mine[w]! > 0) await this.acked(w, job);
  }

  /** Terminates the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /** A pool buffer of `len` bytes: a returned one of that size, else a new (shared when possible) one. */
  private buffer(len: number): Uint8Array {
    const i = this.free.findIndex((b) => b.byteLength === len);
    if (i >= 0) return new Uint8Array(this.free.splice(i, 1)[0]!);
    const b = SHARED ? new SharedArrayBuffer(len) : new ArrayBuffer(len);
    return new Uint8Array(b);
  }

  private all(job: number, type: "state" | "sweepResult"): Promise<StatsReply[]> {
    return Promise.all(this.workers.map((w, i) => {
      const p = this.wait(i, job, type);
      w.postMessage({ type, job });
      return p;
    }));
  }

  /** Resolves at the next acknowledgement from worker w; rejects when the job has failed. */
  private acked(w: number, job: number): Promise<void> {
    const e = this.failed.get(job);
    if (e) return Promise.reject(e);
    return new Promise((resolve) => this.pushedWaiters[w]!.push(resolve));
  }

  private wait(w: number, job: number, type: StatsReply["type"]): Promise<StatsReply> {
    const e = this.failed.get(job);
    if (e) return Promise.reject(e);
    return new Promise((resolve, reject) => this.waiters[w]!.push({ job, type, resolve, reject }));
  }

  private receive(w: number, m: StatsReply): void {
    if (m.type === "pushed") {
      this.inflight[w]!--;
      const mine = this.jobInflight.get(m.job);
      if (mine) mine[w]!--;
      if (m.buffer && this.free.length < MAX_FREE_BUFFERS) this.free.push(m.buffer);
      this.pushedWaiters[w]!.splice(0).forEach((wake) => wake());
      return;
    }
    const list = this.waiters[w]!;
    const i = list.findIndex((x) => x.job === m.job && (x.type === m.type || m.type === "error"));
    if (m.type === "error") {
      this.failed.set(m.job, new Error(m.message));
      this.pushedWaiters[w]!.splice(0).forEach((wake) => wake());
    }
    if (i < 0) return;
    const [x] = list.splice(i, 1);
    if (m.type === "error") x!.reject(new Error(m.message));
    else x!.resolve(m);
  }
}
