/**
 * Builds the one report model from the store: resolves the runs the report is about, runs each
 * section's named queries through one QueryLog, and collects what the appendix lists.
 */
import { fileHashesOf } from "../formats/file-hashes.ts";
import type { Store } from "../store/store.ts";
import { VERSION } from "../version.ts";
import { jsonObject, type ModelRow, type ReportContext } from "./context.ts";
import type { Block, Inline, ReportDoc, Section } from "./model.ts";
import { QueryLog } from "./query-log.ts";
import { recommendationFor, type RecommendationRequest } from "./recommendation-input.ts";
import type { RecommendationView } from "./recommendation-view.ts";
import { methodSection } from "./sections/method.ts";
import { outlierSection } from "./sections/outliers.ts";
import { recommendationSection } from "./sections/recommendation.ts";
import { sensitivitySection } from "./sections/sensitivity.ts";
import { summarySection } from "./sections/summary.ts";

/** What the report is about: a model (its latest statistics run, every eval run) or one run. */
export type ReportSubject = { modelId: string } | { runId: string };

export interface ReportOptions {
  /** context length of the KV cache figures (default: the model's, else DEFAULT_REPORT_CONTEXT) */
  context?: number;
  /**
   * the recommendation: a request (task, predicted scores) the engine answers from the store's
   * evidence, a result computed elsewhere, or null with `recommendationNote` saying why
   */
  recommendation?: RecommendationView | RecommendationRequest | null;
  recommendationNote?: string;
  /** the report's date (tests pin it) */
  now?: Date;
  toolVersion?: string;
}

/** Context length of the KV figures when neither the option nor the model's config gives one. */
export const DEFAULT_REPORT_CONTEXT = 4096;

/** Thrown when the subject is not in the store. */
export class ReportError extends Error {
  override name = "ReportError";
}

/** Resolves a subject to the model and runs the report reads. */
export async function reportContext(store: Store, subject: ReportSubject, context?: number, log = new QueryLog(store)): Promise<ReportContext> {
  let modelId: string, statsRun: string | null, evalRun: string | null = null;
  if ("runId" in subject) {
    const run = await log.row<{ run_id: string; model_id: string | null; kind: string }>("run", [subject.runId]);
    if (!run) throw new ReportError(`no run "${subject.runId}" in the store`);
    if (!run.model_id) throw new ReportError(`run "${subject.runId}" has no model`);
    modelId = run.model_id;
    statsRun = run.kind === "stats" ? run.run_id : (await log.row<{ run_id: string }>("latest_stats_run", [modelId]))?.run_id ?? null;
    if (run.kind === "eval") evalRun = run.run_id;
  } else {
    modelId = subject.modelId;
    statsRun = (await log.row<{ run_id: string }>("latest_stats_run", [modelId]))?.run_id ?? null;
  }
  const model = await log.row<ModelRow>("model", [modelId]);
  if (!model) throw new ReportError(`no model "${modelId}" in the store`);
  const config = jsonObject(model.config);
  const ctxLen = context ?? (typeof config.contextLength === "number" ? config.contextLength : DEFAULT_REPORT_CONTEXT);
  return { log, model, config, statsRun, evalRun, context: ctxLen };
}

/** The report of `subject` as a document tree. */
export async function buildReport(store: Store, subject: ReportSubject, opts: ReportOptions = {}): Promise<ReportDoc> {
  const ctx = await reportContext(store, subject, opts.context);
  const date = (opts.now ?? new Date()).toISOString().slice(0, 10);
  const toolVersion = opts.toolVersion ?? VERSION;
  let rec: RecommendationView | null = null, note = opts.recommendationNote ?? "No recommendation was computed for this report.";
  if (opts.recommendation && "task" in opts.recommendation) ({ rec, note } = await recommendationFor(ctx, opts.recommendation));
  else rec = opts.recommendation ?? null;
  const sections: Section[] = [
    await summarySection(ctx),
    await outlierSection(ctx),
    await sensitivitySection(ctx, rec),
    recommendationSection(rec, note),
    await methodSection(ctx, toolVersion, date),
  ];
  // the files the statistics run read, as it recorded them (the CLI hashes them; the browser does not)
  const fileHashes = ctx.statsRun ? fileHashesOf((await ctx.log.row<{ params: unknown }>("run", [ctx.statsRun]))?.params) : [];
  const evalRuns = [...new Set(ctx.log.uses.filter((u) => u.name === "eval_results").length
    ? (await ctx.log.rows<{ run_id: string }>("eval_results", [ctx.model.model_id, ctx.evalRun, ctx.evalRun])).map((r) => r.run_id) : [])];
  return {
    header: {
      title: `quantlens report: ${ctx.model.name}`, model: ctx.model.name, modelId: ctx.model.model_id, format: ctx.model.format,
      fileHashes: fileHashes.map(({ file, sha256 }) => ({ file, sha256 })), toolVersion, date, statsRun: ctx.statsRun, evalRuns,
      baseline: evalRuns.length ? "FP32 of the same evaluation run (KL and top-1 agreement are measured against it)" : "FP32 (no evaluation run)",
    },
    sections,
    queries: ctx.log.uses,
    evidence: evidenceOf(sections),
  };
}

/** Every evidence row id cited or behind a number, sorted. */
function evidenceOf(sections: Section[]): string[] {
  const ids = new Set<string>();
  const inline = (x: Inline) => {
    if (typeof x === "string") return;
    if (x.kind === "cite") x.ids.forEach((i) => ids.add(i));
    if (x.kind === "num") x.source.evidence?.forEach((i) => ids.add(i));
  };
  const block = (b: Block) => {
    if (b.kind === "p") b.content.forEach(inline);
    else if (b.kind === "list") b.items.flat().forEach(inline);
    else if (b.kind === "table") b.rows.flat().forEach(inline);
  };
  sections.forEach((s) => s.blocks.forEach(block));
  return [...ids].sort();
}
