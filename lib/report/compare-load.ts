/**
 * The two sides of a comparison read from the store by named queries: each run resolved as the
 * single report resolves it (a statistics run, or an eval run with its model's latest statistics),
 * its tensor statistics (run_tensor_stats) and eval results (eval_results), paired by
 * lib/analysis/compare.ts, and each side's recommendation. The dashboard's Compare view draws this
 * object; lib/report/compare.ts turns it into a report document.
 */
import { pairEvals, pairTensors, type EvalPair, type TensorPair, type TensorSide } from "../analysis/compare.ts";
import type { Store } from "../store/store.ts";
import { reportContext } from "./build.ts";
import type { ReportContext } from "./context.ts";
import { QueryLog } from "./query-log.ts";
import { recommendationFor, type RecommendationRequest } from "./recommendation-input.ts";
import type { RecommendationView } from "./recommendation-view.ts";
import type { EvalRow } from "./sections/sensitivity.ts";

/** One run of the comparison. */
export interface CompareSide {
  /** the run id the user named */
  runId: string;
  ctx: ReportContext;
  /** null when the side has no statistics run */
  tensors: TensorSide[] | null;
  evals: EvalRow[];
  rec: RecommendationView | null;
}

export interface Comparison {
  log: QueryLog;
  a: CompareSide;
  b: CompareSide;
  /** null when either side has no statistics run */
  tensors: TensorPair[] | null;
  evals: EvalPair<EvalRow>[];
}

export interface CompareLoadOptions {
  /** context length of each side's KV figures and recommendation (default: each model's) */
  context?: number;
  /** a request the engine answers for each side from the store's evidence, or the two results */
  recommendations?: RecommendationRequest | [RecommendationView | null, RecommendationView | null];
}

async function side(log: QueryLog, runId: string, opts: CompareLoadOptions, i: 0 | 1): Promise<CompareSide> {
  const ctx = await reportContext(log.store, { runId }, opts.context, log);
  const tensors = ctx.statsRun ? await log.rows<TensorSide>("run_tensor_stats", [ctx.statsRun]) : null;
  const evals = await log.rows<EvalRow>("eval_results", [ctx.model.model_id, ctx.evalRun, ctx.evalRun]);
  const r = opts.recommendations;
  // predicted scores belong to one model's weights, so each side gets the task, context and budget only
  const rec = !r ? null : Array.isArray(r) ? r[i] : (await recommendationFor(ctx, { task: r.task, memoryGb: r.memoryGb })).rec;
  return { runId, ctx, tensors, evals, rec };
}

/** Reads run `a` and run `b` and pairs them (differences are b - a). */
export async function loadComparison(store: Store, runA: string, runB: string, opts: CompareLoadOptions = {}): Promise<Comparison> {
  const log = new QueryLog(store);
  const a = await side(log, runA, opts, 0), b = await side(log, runB, opts, 1);
  return { log, a, b, tensors: a.tensors && b.tensors ? pairTensors(a.tensors, b.tensors) : null, evals: pairEvals(a.evals, b.evals) };
}
