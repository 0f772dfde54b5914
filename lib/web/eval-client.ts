/**
 * An evaluation in the browser, without React: starts the evaluation Web Worker
 * (lib/web/eval-worker.ts), hands its messages to callbacks, and records the run in the
 * dashboard's store (runs kind "eval", one run_results row per metric) as each spec finishes, so
 * an interrupted run keeps what it finished. cancel() asks the worker to stop and terminates it
 * when it does not answer at once (the evaluation is synchronous between two windows).
 * `finished` settles on the worker's last message, never on the store: the store's writes (an
 * OPFS CHECKPOINT per spec, which a busy machine or a second writer can hold for tens of
 * seconds) settle `recorded` instead, so the panel is idle as soon as the last row is shown.
 */
import type { EvalResult } from "../eval/metrics.ts";
import {
  countDocuments, orderSpecs, parseFromWorker, runProgress,
  type EvalModelInput, type EvalTokenizerInput, type ModelInfo, type RunProgress, type StartMessage,
} from "./worker-protocol.ts";
import { saveRunResults } from "../store/eval-queries.ts";
import { finishRun, saveModel, saveTensors, startRun } from "../store/queries.ts";
import { checkpoint } from "../store/run-queries.ts";
import { setRunParams } from "../store/eval-run-queries.ts";
import { sha256Hex } from "../formats/sha256.ts";
import type { Store } from "../store/store.ts";
import { VERSION } from "../version.ts";

/** The part of a Worker the client uses (a fake one in tests). */
export interface EvalWorkerLike {
  postMessage(m: unknown): void;
  addEventListener(type: "message", cb: (e: { data: unknown }) => void): void;
  addEventListener(type: "error", cb: (e: { message?: string }) => void): void;
  terminate(): void;
}

/** One finished spec, as the results table lists it. */
export interface SpecRow extends EvalResult { spec: string; canonical: string; index: number; elapsedMs: number }

export type EvalStatus = "done" | "failed" | "cancelled";

/** `runId` is the run's id if the store had started it by the last message, else null (EvalHandle.recorded always has it). */
export interface EvalOutcome { status: EvalStatus; results: SpecRow[]; error: string | null; runId: string | null }

/** The worker's start message (minus its tag) and what the page wants told. */
export interface EvalRunOptions extends Omit<StartMessage, "type"> {
  /** what the dashboard calls the model (models.source: `local:<name>`, an `hf:` id); default the reader's name */
  modelLabel?: string;
  /** where the run is recorded: the store, a promise of it (opened on first use), or null */
  store?: Store | null | Promise<Store | null>;
  onModel?: (m: ModelInfo) => void;
  onPrepared?: (p: { documents: number; tokens: number; tokenizer: string }) => void;
  onProgress?: (p: RunProgress) => void;
  onSpec?: (row: SpecRow) => void;
  /** a store write failed (the evaluation goes on; its results are still shown) */
  onStoreError?: (message: string) => void;
  /** default: the bundled eval-worker.ts as a module Web Worker */
  createWorker?: () => EvalWorkerLike;
  /** how long cancel() waits for the worker to stop by itself before terminating it */
  cancelGraceMs?: number;
}

export interface EvalHandle {
  cancel(): void;
  /** settles once, on the worker's last message (done, failed or cancelled); does not wait for the store */
  readonly finished: Promise<EvalOutcome>;
  /** settles after `finished`, once the store has every row: the run's id, or null when nothing was recorded */
  readonly recorded: Promise<string | null>;
}

/** The evaluation worker as its own module chunk (the bundler follows `new URL(..., import.meta.url)`). */
function defaultWorker(): EvalWorkerLike {
  return new Worker(new URL("./eval-worker.ts", import.meta.url), { type: "module" }) as unknown as EvalWorkerLike;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Starts one evaluation; the callbacks fire in message order, `finished` settles last. */
export function startEval(opts: EvalRunOptions): EvalHandle {
  const order = orderSpecs(opts.specs); // throws SpecError before any worker starts
  const canonical = order.map((s) => s.canonical);
  const worker = (opts.createWorker ?? defaultWorker)();
  const t0 = performance.now();
  const results: SpecRow[] = [];
  let runId: string | null = null;
  let modelId: string | null = null;
  let settled = false;
  let cancelTimer: ReturnType<typeof setTimeout> | null = null;
  let resolveFinished!: (o: EvalOutcome) => void;
  const finished = new Promise<EvalOutcome>((r) => { resolveFinished = r; });
  let resolveRecorded!: (runId: string | null) => void;
  const recorded = new Promise<string | null>((r) => { resolveRecorded = r; });

  // store writes in message order, one at a time; a failure is reported and the rest goes on
  let queue: Promise<void> = Promise.resolve();
  const storeP: Promise<Store | null> = Promise.resolve(opts.store ?? null).catch(() => null);
  const record = (what: (s: Store) => Promise<void>) => {
    queue = queue.then(async () => {
      const s = await storeP;
      if (!s) return;
      try {
        await what(s);
      } catch (e) {
        opts.onStoreError?.(`Could not record the run in this browser's store: ${errorText(e)}`);
      }
    });
  };
  const params = {
    model: opts.modelLabel ?? null, endpoint: opts.endpoint ?? null, specs: order.map((s) => s.name),
    documents: countDocuments(opts.text), tokens: null as number | null, text_chars: opts.text.length, text_sha256: sha256Hex(opts.text),
    calib_chars: opts.calibText?.length ?? null,
    tokenizer: typeof opts.tokenizer === "string" ? opts.tokenizer : opts.tokenizer.name,
  };
  const ensureRun = async (s: Store) => {
    runId ??= await startRun(s, { modelId, kind: "eval", toolVersion: VERSION, spec: order.map((x) => x.name).join(","), params });
  };

  const settle = (status: EvalStatus, error: string | null) => {
    if (settled) return;
    settled = true;
    if (cancelTimer) clearTimeout(cancelTimer);
    worker.terminate();
    record(async (s) => {
      await ensureRun(s);
      await finishRun(s, runId!, status);
      await checkpoint(s).catch(() => undefined);
    });
    resolveFinished({ status, results: [...results], error, runId });
    void queue.then(() => resolveRecorded(runId));
  };

  worker.addEventListener("message", (e: { data: unknown }) => {
    if (settled) return;
    const m = parseFromWorker(e.data);
    if (!m) return;
    switch (m.type) {
      case "model": {
        modelId = m.model.modelId;
        const model = m.model;
        record(async (s) => {
          await saveModel(s, model.modelId, model, opts.modelLabel ?? model.name);
          await saveTensors(s, model.modelId, model.tensors);
          await ensureRun(s);
        });
        opts.onModel?.(model);
        break;
      }
      case "prepared":
        params.documents = m.documents; params.tokens = m.tokens;
        record(async (s) => {
          await ensureRun(s);
          await setRunParams(s, runId!, params);
        });
        opts.onPrepared?.({ documents: m.documents, tokens: m.tokens, tokenizer: m.tokenizer });
        break;
      case "progress":
        opts.onProgress?.(runProgress(m.progress, canonical, performance.now() - t0));
        break;
      case "spec": {
        const row: SpecRow = { ...m.result, spec: m.spec, canonical: m.canonical, index: m.index, elapsedMs: m.elapsedMs };
        results.push(row);
        const { ppl, mean_nll, kl, top1_agreement, tokens } = m.result;
        record(async (s) => {
          await ensureRun(s);
          await saveRunResults(s, runId!, m.spec, { ppl, mean_nll, kl, top1_agreement }, tokens);
          await checkpoint(s).catch(() => undefined);
        });
        opts.onSpec?.(row);
        break;
      }
      case "done": settle("done", null); break;
      case "cancelled": settle("cancelled", null); break;
      case "error": settle("failed", m.message); break;
    }
  });
  worker.addEventListener("error", (e: { message?: string }) => {
    settle("failed", `The evaluation worker stopped: ${e.message || "it failed to load"}.`);
  });

  const start: StartMessage = {
    type: "start", model: opts.model, endpoint: opts.endpoint, tokenizer: opts.tokenizer, text: opts.text,
    calibText: opts.calibText, specs: order.map((s) => s.name), progressIntervalMs: opts.progressIntervalMs,
    ...(opts.context !== undefined ? { context: opts.context } : {}),
  };
  worker.postMessage(start);

  return {
    finished,
    recorded,
    cancel() {
      if (settled || cancelTimer) return;
      worker.postMessage({ type: "cancel" });
      cancelTimer = setTimeout(() => settle("cancelled", null), opts.cancelGraceMs ?? 500);
    },
  };
}
