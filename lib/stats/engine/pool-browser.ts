/** Browser side of the stats pool: module Web Workers running pool-browser-worker.ts. */
import { StatsPool, type WorkerLike } from "./pool.ts";

/** Most workers a page may ask for (hardwareConcurrency can be large; each holds a wasm memory). */
export const MAX_BROWSER_WORKERS = 16;

function browserStatsWorker(url: string | URL): WorkerLike {
  const w = new Worker(url, { type: "module" });
  return {
    postMessage: (m, transfer) => w.postMessage(m, transfer ?? []),
    onMessage: (cb) => w.addEventListener("message", (e) => cb(e.data)),
    onError: (cb) => w.addEventListener("error", (e) => cb(new Error(e.message || "stats worker failed to load"))),
    terminate: async () => w.terminate(),
  };
}

/**
 * A pool of `workers` Web Workers loaded from `workerUrl` (the bundled pool-browser-worker.ts;
 * default: navigator.hardwareConcurrency, at most MAX_BROWSER_WORKERS).
 */
export function createBrowserStatsPool(workerUrl: string | URL, workers = navigator.hardwareConcurrency || 2): StatsPool {
  const n = Math.max(1, Math.min(MAX_BROWSER_WORKERS, workers));
  return new StatsPool(Array.from({ length: n }, () => browserStatsWorker(workerUrl)));
}
