/** Node side of the stats pool: worker_threads running pool-node-worker.mjs. */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { StatsPool, type WorkerLike } from "./pool.ts";

/** A stats worker as a node worker_thread. */
function nodeStatsWorker(): WorkerLike {
  const w = new Worker(new URL("./pool-node-worker.mjs", import.meta.url));
  w.unref();
  return {
    postMessage: (m, transfer) => w.postMessage(m, (transfer ?? []) as never),
    onMessage: (cb) => void w.on("message", cb),
    onError: (cb) => void w.on("error", cb),
    terminate: () => w.terminate().then(() => undefined),
  };
}

/** A pool of `workers` node worker_threads (default: available cores). */
export function createNodeStatsPool(workers = availableParallelism()): StatsPool {
  return new StatsPool(Array.from({ length: Math.max(1, workers) }, nodeStatsWorker));
}
