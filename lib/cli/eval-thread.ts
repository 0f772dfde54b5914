/**
 * One thread of a split evaluation (eval-threads.ts): opens the job named in the `start` message
 * (a module exporting openEvalJob, and its arguments), runs the whole session on its own kernel
 * with `shard` = its part of the windows, and posts back each window's sums (spec, window, sums) as
 * it is scored, which the main thread stores and merges in window order. Part 0 also posts the
 * calibration statistics, method notes and multiple-choice scores (every part computes the same; one reports them).
 */
import type { WindowShard } from "../eval/evaluate.ts";
import type { ChoiceResult } from "../eval/multiple-choice.ts";
import { runEvalSession, type SessionProgress } from "../eval/session.ts";
import { calibrationStats } from "../model/calibration-stats.ts";
import { kernelLinears } from "../model/kernel-linear.ts";
import { cliKernelBudget } from "./kernel-budget.ts";
import type { TensorStats } from "../stats/types.ts";
import type { EvalJob } from "./eval-job.ts";
import { collectGarbage } from "./gc.ts";

/** what a thread is asked to run */
export interface ThreadStart { type: "start"; job: { module: string; args: unknown }; shard: WindowShard; order?: "window-major" | "spec-major" }

/** one window's sums of one spec: [spec, window, tokens, nll, refNll, kl, agree] */
export type WindowRow = [number, number, number, number, number, number, number];

export type ThreadMessage =
  | { type: "progress"; progress: SessionProgress }
  | { type: "note"; spec: number; note: string }
  | { type: "calibration"; stats: TensorStats[] }
  | { type: "window"; row: WindowRow }
  | { type: "done"; choices: Array<Partial<ChoiceResult>> }
  | { type: "error"; name: string; message: string; stack?: string };

/** posted at most this often (ms): the main thread redraws one bar from every part's tokens */
const PROGRESS_MS = 200;

/** Runs `m` and posts its messages; the last one is `done` or `error`. */
export async function runEvalThread(m: ThreadStart, post: (msg: ThreadMessage) => void): Promise<void> {
  let job: EvalJob | null = null;
  const budget = cliKernelBudget(m.shard.count); // every thread holds its own model
  const k = await kernelLinears({ memories: budget.memories });
  try {
    const { openEvalJob } = (await import(m.job.module)) as { openEvalJob(args: unknown): Promise<EvalJob> };
    job = await openEvalJob(m.job.args);
    const first = m.shard.index === 0;
    const choices: Array<Partial<ChoiceResult>> = [];
    let last = -Infinity;
    const specs = job.options.specs;
    await runEvalSession({
      ...job.options, tasks: first ? job.options.tasks : undefined, f32: k.f32, packed: k.packed, memoryLimit: budget.memoryLimit, collectGarbage, order: m.order, shard: m.shard,
      onWindow: (spec, window, s) => { post({ type: "window", row: [spec, window, s.tokens, s.nll, s.refNll, s.kl, s.agree] }); },
      onProgress: (p) => { const now = performance.now(); if (now - last >= PROGRESS_MS) { last = now; post({ type: "progress", progress: p }); } },
      onNote: (spec, note) => { if (first) post({ type: "note", spec: specs.indexOf(spec), note }); },
      onCalibration: (cal) => { if (first) post({ type: "calibration", stats: calibrationStats(cal) }); },
      onSpec: (_s, r) => { choices.push(r.mc_items === undefined ? {} : { mc_accuracy: r.mc_accuracy!, mc_accuracy_norm: r.mc_accuracy_norm!, mc_items: r.mc_items }); },
    });
    post({ type: "done", choices });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    post({ type: "error", name: err.name, message: err.message, stack: err.stack });
  } finally {
    await job?.close();
    await k.close();
  }
}
