/**
 * StatsPool: computeTensorStats over several workers. Chunks go round-robin to workers, each
 * runs a StatsAccumulator on its share (retaining it for pass 2 when the tensor fits
 * HISTOGRAM_RETAIN_BYTES), the pool merges the pass-1 states (Pébay moments, channel max), sends
 * the pass-2 parameters back and sums the sweeps. Chunks are copied before posting (a view of a
 * larger buffer cannot be transferred, and a reader may reuse its buffers), except views of a
 * SharedArrayBuffer, which workers read in place. Runtime-neutral: the
 * workers come from pool-node.ts (worker_threads) or a browser Web Worker wrapper.
 */
import type { TensorInfo, TensorSource } from "../formats/types.ts";
import { HISTOGRAM_RETAIN_BYTES } from "./accumulator.ts";
import { DEFAULT_TOP_K } from "./channels.ts";
import { DEFAULT_HISTOGRAM_BINS } from "./histogram.ts";
import type { StatsReply, StatsRequest } from "./pool-protocol.ts";
import { emptyState, mergeStates, mergeSweeps, sweepParams, type AccumulatorState, type SweepResult } from "./state.ts";
import { toTensorStats, type TensorStatsOptions } from "./tensor-stats.ts";
import { isKernelDType, kernelElementSize } from "../kernels/stats-kernel.ts";
import type { TensorStats } from "./types.ts";
import { BLOCKS } from "../tensor/dtypes.ts";
import { keySweep, keyTable } from "./keys.ts";

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

type Waiter = { job: number; type: StatsReply["type"]; resolve: (m: StatsReply) => void; reject: (e: Error) => void };

export class StatsPool {
  private nextJob = 1;
  /** errors a worker reported while nobody waited; the job's next wait rejects with it */
  private failed = new Map<number, Error>();
  /** chunk buffers the workers gave back */
  private free: ArrayBuffer[] = [];
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

  /** computeTensorStats with the chunks spread over the workers (same result up to float64 rounding). */
  async computeTensorStats(source: TensorSource, t: TensorInfo, opts: TensorStatsOptions = {}): Promise<TensorStats> {
    const job = this.nextJob++, W = this.workers.length;
    const bins = opts.histogramBins ?? DEFAULT_HISTOGRAM_BINS;
    const kernelBytes = t.numel * (isKernelDType(t.dtype) ? kernelElementSize(t.dtype) : 4);
    const retain = kernelBytes <= (opts.retainBytes ?? HISTOGRAM_RETAIN_BYTES);
    const layout = { dtype: t.dtype, shape: t.shape, numel: t.numel };
    this.workers.forEach((w) => w.postMessage({ type: "open", job, t: layout, simd: opts.simd ?? true, retainBytes: retain ? Infinity : 0 }));
    try {
      let done = 0;
      const mine = workers(W);
      this.jobInflight.set(job, mine);
      const stream = async (type: "push" | "sweep", extra: Record<string, unknown>) => {
        let i = 0, offset = 0;
        for await (const chunk of source.readRaw(t)) {
          opts.signal?.throwIfAborted();
          const w = i++ % W;
          while (this.inflight[w]! >= MAX_INFLIGHT_CHUNKS) await this.acked(w, job);
          // a SharedArrayBuffer view is posted as is (shared, no copy); anything else is copied
          const shared = typeof SharedArrayBuffer !== "undefined" && chunk.buffer instanceof SharedArrayBuffer;
          const copy = shared ? chunk : this.copy(chunk);
          this.inflight[w]!++;
          mine[w]!++;
          this.workers[w]!.postMessage({ type, job, chunk: copy, offset, ...extra } as StatsRequest, shared ? [] : [copy.buffer as ArrayBuffer]);
          offset += (chunk.length / BLOCKS[t.dtype].bytes) * BLOCKS[t.dtype].elements;
          opts.onProgress?.((done += chunk.length));
        }
        for (let w = 0; w < W; w++) while (mine[w]! > 0) await this.acked(w, job);
      };
      await stream("push", {});
      const states = await this.all(job, "state");
      const state = states.reduce<AccumulatorState>((a, m) => mergeStates(a, (m as { state: AccumulatorState }).state), emptyState());
      const p = sweepParams(state, bins);
      let sweep: SweepResult | null = null;
      if (p && state.keys) sweep = keySweep(state.keys.counts, keyTable(state.keys.dtype), p);
      else if (p) {
        if (retain) this.workers.forEach((w) => w.postMessage({ type: "sweep", job, params: p }));
        else await stream("sweep", { params: p });
        const results = await this.all(job, "sweepResult");
        sweep = results.map((m) => (m as { result: SweepResult }).result).reduce(mergeSweeps);
      }
      return toTensorStats(t, state, sweep, { bins, topK: opts.topK ?? DEFAULT_TOP_K });
    } finally {
      this.failed.delete(job);
      this.jobInflight.delete(job);
      this.workers.forEach((w) => w.postMessage({ type: "close", job }));
    }
  }

  /** Terminates the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /** Copies a chunk into a returned buffer of the same size when one is free, else a new one. */
  private copy(chunk: Uint8Array): Uint8Array {
    const i = this.free.findIndex((b) => b.byteLength === chunk.length);
    const out = i >= 0 ? new Uint8Array(this.free.splice(i, 1)[0]!) : new Uint8Array(chunk.length);
    out.set(chunk);
    return out;
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
