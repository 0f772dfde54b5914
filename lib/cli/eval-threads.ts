/**
 * `quantlens eval --threads N`: the windows split across N worker_threads (eval-thread.ts), each
 * running the whole session on its own kernel (its own copy of the model: memory grows N-fold)
 * over every N-th window. Each window's sums come back and are merged per spec in window order,
 * exactly as one thread merges them, so any N gives the one-thread numbers bit for bit. The specs
 * are handed to `onSpec` in order once every part is done.
 */
import { Worker } from "node:worker_threads";
import { EvalSums, type EvalResult } from "../eval/metrics.ts";
import type { ChoiceResult } from "../eval/multiple-choice.ts";
import type { SessionProgress } from "../eval/session.ts";
import type { QuantSpec } from "../quant/spec.ts";
import type { TensorStats } from "../stats/types.ts";
import type { ThreadMessage, ThreadStart, WindowRow } from "./eval-thread.ts";

export interface ThreadedOptions {
  threads: number;
  /** the job every thread opens: a module URL exporting openEvalJob, and its arguments */
  job: { module: string; args: unknown };
  specs: QuantSpec[];
  order?: "window-major" | "spec-major";
  onSpec?: (spec: QuantSpec, result: EvalResult & Partial<ChoiceResult>) => Promise<void> | void;
  onProgress?: (p: SessionProgress) => void;
  onNote?: (spec: QuantSpec, note: string) => void;
  onCalibration?: (stats: TensorStats[]) => Promise<void> | void;
  /** each window's sums for spec `spec` (an index into `specs`) as a thread scores it (the CLI stores them) */
  onWindow?: (spec: number, window: number, sums: EvalSums) => void;
}

const sumsOf = ([, , tokens, nll, refNll, kl, agree]: WindowRow) => Object.assign(new EvalSums(), { tokens, nll, refNll, kl, agree });

/** Runs one part in a worker thread; resolves with its `done` message. */
function runPart(o: ThreadedOptions, index: number, tokens: number[], pending: Array<Promise<void> | void>, windows: WindowRow[]): { done: Promise<Extract<ThreadMessage, { type: "done" }>>; stop(): Promise<number> } {
  const w = new Worker(new URL("./eval-thread-worker.mjs", import.meta.url));
  const done = new Promise<Extract<ThreadMessage, { type: "done" }>>((resolve, reject) => {
    w.on("error", reject);
    w.on("exit", (code) => reject(new Error(`eval thread ${index} exited (${code}) before it finished`)));
    w.on("message", (m: ThreadMessage) => {
      if (m.type === "progress") {
        tokens[index] = m.progress.phase === "evaluate" ? m.progress.tokens : 0;
        if (index === 0) o.onProgress?.({ ...m.progress, tokens: tokens.reduce((a, b) => a + b, 0) });
      } else if (m.type === "window") {
        windows.push(m.row);
        o.onWindow?.(m.row[0], m.row[1], sumsOf(m.row));
      } else if (m.type === "note") o.onNote?.(o.specs[m.spec]!, m.note);
      else if (m.type === "calibration") pending.push(o.onCalibration?.(m.stats));
      else if (m.type === "error") reject(Object.assign(new Error(m.message), { name: m.name, stack: m.stack }));
      else resolve(m);
    });
  });
  w.postMessage({ type: "start", job: o.job, shard: { index, count: o.threads }, order: o.order } satisfies ThreadStart);
  return { done, stop: () => w.terminate() };
}

/** Each spec's sums merged over every part's windows, in window order. */
export function mergeWindows(specs: number, rows: WindowRow[]): EvalSums[] {
  const sorted = [...rows].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  const sums = Array.from({ length: specs }, () => new EvalSums());
  for (const row of sorted) sums[row[0]]!.merge(sumsOf(row));
  return sums;
}

/** The session split across `threads` worker threads; results keyed by canonical spec text, in order. */
export async function runThreadedSession(o: ThreadedOptions): Promise<Map<string, EvalResult>> {
  const tokens = new Array<number>(o.threads).fill(0);
  const pending: Array<Promise<void> | void> = [];
  const windows: WindowRow[] = [];
  const parts = Array.from({ length: o.threads }, (_, i) => runPart(o, i, tokens, pending, windows));
  let done: Array<Extract<ThreadMessage, { type: "done" }>>;
  try {
    done = await Promise.all(parts.map((p) => p.done));
  } finally {
    await Promise.all(parts.map((p) => p.stop()));
  }
  await Promise.all(pending);
  const sums = mergeWindows(o.specs.length, windows);
  const results = new Map<string, EvalResult>();
  for (const [i, spec] of o.specs.entries()) {
    const result = sums[i]!.result();
    results.set(spec.text, result);
    await o.onSpec?.(spec, { ...result, ...done[0]!.choices[i] });
  }
  return results;
}
