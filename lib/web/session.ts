/**
 * Client-side orchestration of one analysis (no React): open what the user picked with the
 * browser-safe readers (headers only, by range), stream every tensor through a pool of Web
 * Workers running the WebAssembly statistics kernels, record the run in the store as each
 * tensor finishes, and report progress. An AbortSignal cancels it; the run is then kept in
 * the store as `cancelled` with the tensors it finished.
 */
import { plainModelError } from "./plain-errors.ts";
import { openModel, type ModelSpec } from "../formats/open.ts";
import { summarize } from "../formats/summary.ts";
import type { TensorSource } from "../formats/types.ts";
import { modelStats } from "../stats/engine/model-stats.ts";
import { StatsPool, type WorkerLike } from "../stats/engine/pool.ts";
import type { TensorStats } from "../stats/types.ts";
import { modelIdOf } from "../formats/model-id.ts";
import { finishRun, saveModel, saveTensors, saveTensorStats, startRun } from "../store/queries.ts";
import { saveQuantErrors } from "../store/quant-error-queries.ts";
import type { Store } from "../store/store.ts";
import { VERSION } from "../version.ts";
import { analysisFromStats } from "../analysis/analysis.ts";
import { analysisIdOf, localName } from "../analysis/live.ts";
import { metadataRows } from "../analysis/metadata.ts";
import { quantErrorsOf } from "./session-quant.ts";
import type { ModelAnalysis } from "../analysis/types.ts";

/** Web Workers per analysis: enough to keep a few cores busy without a wasm memory each on many cores. */
export const MAX_DASHBOARD_WORKERS = 4;

export interface Progress {
  tensorsDone: number;
  tensorCount: number;
  bytesDone: number;
  bytesTotal: number;
  elapsedMs: number;
  /** estimated time left from the bytes rate so far; null until some bytes are done */
  etaMs: number | null;
  current: string;
  /** what is being computed: statistics, then the what-if grid (counted in weights, not tensors) */
  phase: "stats" | "whatif";
}

export interface AnalyzeOptions {
  signal: AbortSignal;
  /** Hub endpoint for `hf:` ids (the `?hub=` parameter; default the public Hub) */
  endpoint?: string;
  onProgress?: (p: Progress) => void;
  /** where the run is recorded (null: not recorded); a promise is awaited only after the header check, so a bad file fails at once */
  store?: Store | null | Promise<Store | null>;
  workers?: number;
}

export interface AnalyzeResult { analysis: ModelAnalysis; runId: string | null }

/** One pool worker: the bundler emits pool-browser-worker.ts as its own module chunk. */
function poolWorker(): WorkerLike {
  const w = new Worker(new URL("../stats/engine/pool-browser-worker.ts", import.meta.url), { type: "module" });
  return {
    postMessage: (m, transfer) => w.postMessage(m, transfer ?? []),
    onMessage: (cb) => w.addEventListener("message", (e) => cb(e.data)),
    onError: (cb) => w.addEventListener("error", (e) => cb(new Error(e.message || "the statistics worker failed to load"))),
    terminate: async () => w.terminate(),
  };
}

/** A stats pool of Web Workers sized to the machine. */
export function createDashboardPool(workers = Math.min(MAX_DASHBOARD_WORKERS, navigator.hardwareConcurrency || 2)): StatsPool {
  return new StatsPool(Array.from({ length: Math.max(1, workers) }, poolWorker));
}

/** True for what AbortController.abort() throws. */
export function isAbort(e: unknown): boolean {
  return e instanceof DOMException ? e.name === "AbortError" : (e as { name?: string })?.name === "AbortError";
}

/** A message a person can act on, for anything opening or analysing a model throws. */
export function plainError(e: unknown): string {
  if (isAbort(e)) return "Cancelled.";
  return plainModelError(e);
}

/** What the user typed: an `hf:` id or an http(s) URL; anything else is refused in plain words. */
export function checkTypedSpec(text: string): string {
  const spec = text.trim();
  if (!spec) throw new Error("Type a Hugging Face id such as hf:org/name, or a URL.");
  if (/^[A-Za-z0-9_][\w.-]*\/[\w.-]+$/.test(spec)) return `hf:${spec}`; // org/name without the prefix
  if (!spec.startsWith("hf:") && !/^https?:\/\//i.test(spec)) {
    throw new Error(`"${spec.slice(0, 80)}" is neither a Hugging Face id (hf:org/name) nor an http(s) URL.`);
  }
  return spec;
}

/** Opens `spec`, computes every tensor's statistics in Web Workers and records the run. */
export async function analyzeModel(spec: ModelSpec, opts: AnalyzeOptions): Promise<AnalyzeResult> {
  const { signal } = opts;
  const id = analysisIdOf(typeof spec === "string" ? spec : spec instanceof File || Array.isArray(spec) ? spec : new File([spec], "model"));
  const source: TensorSource = await openModel(spec, { endpoint: opts.endpoint });
  signal.throwIfAborted();
  const store = await Promise.resolve(opts.store ?? null).catch(() => null);
  const pool = createDashboardPool(opts.workers);
  const stats: TensorStats[] = [];
  let runId: string | null = null;
  let finished = false;
  const started = performance.now();
  // a File[] pick is named after its folder or model file (the reader names it after the first file)
  const summary = { ...summarize(source), name: Array.isArray(spec) ? localName(spec) : source.name };
  const bytesTotal = source.tensors.reduce((n, t) => n + t.byteLength, 0);
  const modelId = modelIdOf(source);
  try {
    if (store) {
      // models.name is the name on screen (a folder pick's folder, not the reader's first file, config.json): reports title with it
      await saveModel(store, modelId, { name: summary.name, format: source.format, tensors: source.tensors, config: source.config }, id);
      await saveTensors(store, modelId, source.tensors);
      runId = await startRun(store, { modelId, kind: "stats", toolVersion: VERSION, spec: id });
    }
    const report = (bytesDone: number, tensorsDone: number, current: string) => {
      const done = Math.min(bytesDone, bytesTotal);
      const elapsedMs = performance.now() - started;
      opts.onProgress?.({
        tensorsDone, tensorCount: source.tensors.length, bytesDone: done, bytesTotal, elapsedMs, current, phase: "stats",
        etaMs: done > 0 ? (elapsedMs / done) * (bytesTotal - done) : null,
      });
    };
    report(0, 0, source.tensors[0]?.name ?? "");
    for await (const s of modelStats(source, source.tensors, { pool, signal, onProgress: report })) {
      stats.push(s);
      if (store && runId) await saveTensorStats(store, runId, modelId, s);
      signal.throwIfAborted();
    }
    if (store && runId) await finishRun(store, runId, "done");
    finished = true;
    // the what-if grid (RTN errors of every linear weight), added to the finished run (table quant_errors)
    const whatifStart = performance.now();
    const quantErrors = await quantErrorsOf(source, signal, (done, total, current) => opts.onProgress?.({
      tensorsDone: done, tensorCount: total, bytesDone: bytesTotal, bytesTotal, current, phase: "whatif",
      elapsedMs: performance.now() - started,
      etaMs: done > 0 ? ((performance.now() - whatifStart) / done) * (total - done) : null,
    }));
    if (store && runId) await saveQuantErrors(store, runId, modelId, quantErrors);
    const analysis = analysisFromStats(id, summary, stats, quantErrors, { generatedBy: `quantlens ${VERSION} stats on ${summary.name} (${summary.format}), computed in this browser` });
    return { analysis: { ...analysis, metadata: metadataRows(source.metadata) }, runId };
  } catch (e) {
    if (store && runId && !finished) await finishRun(store, runId, isAbort(e) ? "cancelled" : "failed").catch(() => undefined);
    throw e;
  } finally {
    await pool.close();
    await source.close().catch(() => undefined);
  }
}
