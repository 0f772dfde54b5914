/**
 * The recommendation a report shows, computed by lib/recommend from what the store holds: the
 * model's size and shapes (queries dtype_totals, tensor_shapes, model), its family by name, the
 * measured specs (query eval_results) and the evidence tables (loaded by the caller).
 */
import { kvShapeOf, quantizedLinears } from "../quant/memory.ts";
import { recommend } from "../recommend/engine.ts";
import { familyOf } from "../recommend/family.ts";
import type { Recommendation } from "../recommend/result.ts";
import type { RecommendInput, TaskKind } from "../recommend/types.ts";
import type { ReportContext } from "./context.ts";
import type { EvalRow } from "./sections/sensitivity.ts";

/** What the caller adds to the store's facts. */
export interface RecommendationRequest {
  task: TaskKind | null;
  /** the memory budget in GB (weights + KV cache at the context): specs that do not fit are avoided */
  memoryGb?: number | null;
  /** predicted sensitivity per spec (lib/recommend/predicted.ts), when the model's weights were read */
  predicted?: RecommendInput["predicted"];
}

/** The engine's result for the report's model, or null with the reason when the store holds no evidence. */
export async function recommendationFor(ctx: ReportContext, req: RecommendationRequest): Promise<{ rec: Recommendation | null; note: string }> {
  const store = ctx.log.store;
  const evidence = await store.queryRow<{ n: number }>("SELECT CAST(count(*) AS INTEGER) AS n FROM evidence_results");
  if (!evidence?.n) return { rec: null, note: "The store holds no published evidence (load data/evidence with lib/evidence), so no recommendation was computed." };
  const totals = await ctx.log.rows<{ params: number }>("dtype_totals", [ctx.model.model_id]);
  const shapes = await ctx.log.rows<{ name: string; shape: number[] }>("tensor_shapes", [ctx.model.model_id]);
  const evals = await ctx.log.rows<EvalRow>("eval_results", [ctx.model.model_id, ctx.evalRun, ctx.evalRun]);
  const params = totals.reduce((s, d) => s + Number(d.params), 0);
  const input: RecommendInput = {
    paramsB: params / 1e9,
    family: familyOf(ctx.model.name, ctx.model.source, ctx.model.architecture),
    task: req.task, context: ctx.context, memoryGb: req.memoryGb ?? null, target: "all",
    shape: { params, linears: quantizedLinears(shapes), kv: kvShapeOf(ctx.config) },
    measured: evals.map((r) => ({ spec: r.spec, kl: r.kl, top1_agreement: r.top1_agreement, ppl: r.ppl, run_id: r.run_id })),
    model: ctx.model.source ?? ctx.model.name,
    predicted: req.predicted,
  };
  return { rec: await recommend(store, input), note: "" };
}
