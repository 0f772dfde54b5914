/**
 * Message protocol of the stats worker pool and the worker-side handler. No Node imports: the
 * same handler runs in a Node worker_thread (pool-node-worker.mjs) and in a browser Web Worker
 * (`self.onmessage = createStatsHandler((m, t) => self.postMessage(m, t))`).
 */
import { StatsAccumulator, type TensorLayout } from "./accumulator.ts";
import type { AccumulatorState, SweepParams, SweepResult } from "./state.ts";

/** pool -> worker; `job` names one tensor's accumulator inside the worker */
export type StatsRequest =
  | { type: "open"; job: number; t: TensorLayout; simd: boolean; retainBytes: number; deferPass1?: boolean }
  | { type: "push"; job: number; chunk: Uint8Array; offset: number; recycle?: boolean }
  | { type: "state"; job: number }
  | { type: "sweep"; job: number; params: SweepParams; chunk?: Uint8Array; recycle?: boolean }
  | { type: "sweepResult"; job: number }
  | { type: "close"; job: number };

/**
 * worker -> pool: one reply per push (backpressure; the chunk's buffer goes back for reuse, which
 * spares the pool fresh zero-filled allocations), state, sweepResult; errors carry the message
 */
export type StatsReply =
  | { type: "pushed"; job: number; bytes: number; buffer?: ArrayBuffer | SharedArrayBuffer }
  | { type: "state"; job: number; state: AccumulatorState }
  | { type: "sweepResult"; job: number; result: SweepResult }
  | { type: "error"; job: number; message: string };

export type Post = (msg: StatsReply, transfer?: Transferable[]) => void;

/** The worker's message handler: runs requests strictly in arrival order. */
export function createStatsHandler(post: Post): (msg: StatsRequest) => void {
  const jobs = new Map<number, { acc: StatsAccumulator; bins: number }>();
  let queue = Promise.resolve();
  const pushed = (job: number, chunk: Uint8Array, recycle?: boolean) => {
    const b = chunk.buffer;
    // the pool's own buffers go back for reuse: an ArrayBuffer by transfer, a SharedArrayBuffer by reference
    if (!recycle) return post({ type: "pushed", job, bytes: chunk.length });
    post({ type: "pushed", job, bytes: chunk.length, buffer: b }, b instanceof ArrayBuffer ? [b] : []);
  };
  const get = (job: number) => {
    const j = jobs.get(job);
    if (!j) throw new Error(`stats worker: no open job ${job}`);
    return j;
  };
  const handle = async (m: StatsRequest): Promise<void> => {
    switch (m.type) {
      case "open":
        jobs.set(m.job, { acc: await StatsAccumulator.create(m.t, { simd: m.simd, retainBytes: m.retainBytes, deferPass1: m.deferPass1 }), bins: 0 });
        return;
      case "push":
        get(m.job).acc.push(m.chunk, m.offset);
        return pushed(m.job, m.chunk, m.recycle);
      case "state": {
        const state = get(m.job).acc.state();
        return post({ type: "state", job: m.job, state }, [state.cols?.buffer, state.rows?.buffer].filter((b) => b !== undefined));
      }
      case "sweep": {
        const j = get(m.job);
        if (j.bins !== m.params.bins) j.acc.resetSweep((j.bins = m.params.bins));
        if (m.chunk) j.acc.sweepChunk(m.chunk, m.params);
        else j.acc.sweepRetained(m.params);
        return m.chunk ? pushed(m.job, m.chunk, m.recycle) : undefined;
      }
      case "sweepResult":
        return post({ type: "sweepResult", job: m.job, result: get(m.job).acc.sweepResult(get(m.job).bins) });
      case "close":
        jobs.get(m.job)?.acc.release();
        jobs.delete(m.job);
    }
  };
  return (msg) => {
    queue = queue.then(() => handle(msg)).catch((e: unknown) => {
      post({ type: "error", job: msg.job, message: e instanceof Error ? e.message : String(e) });
      // a failed chunk still frees its in-flight slot
      if ("chunk" in msg && msg.chunk) pushed(msg.job, msg.chunk, "recycle" in msg ? msg.recycle : false);
    });
  };
}
