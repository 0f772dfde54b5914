/**
 * Measured sensitivity per spec (perplexity, KL, top-1 agreement from run_results) with a KL chart,
 * and the predicted sensitivity from the published evidence (lib/recommend) beside it.
 */
import type { ReportContext } from "../context.ts";
import { code, num, p, type Inline, type Section, type Table } from "../model.ts";
import { fromQuery } from "../query-log.ts";
import { specKey, type RecommendationView } from "../recommendation-view.ts";

/** Predicted SQNR is computed from the weights by lib/recommend, not read from the store. */
const PREDICTED = { queries: [], via: "lib/recommend/predicted.ts: worst-layer RTN g128 SQNR of the weights read from the model file" };

/** One spec's measured metrics (query eval_results). */
export interface EvalRow { run_id: string; spec: string; ppl: number | null; mean_nll: number | null; kl: number | null; top1_agreement: number | null; tokens: number | null }

/** Builds the sensitivity section; `rec` adds the evidence's predicted drop per spec. */
export async function sensitivitySection(ctx: ReportContext, rec: RecommendationView | null): Promise<Section> {
  const rows = await ctx.log.rows<EvalRow>("eval_results", [ctx.model.model_id, ctx.evalRun, ctx.evalRun]);
  const section: Section = { id: "sensitivity", title: "Measured sensitivity", blocks: [] };
  if (rows.length === 0) {
    section.blocks.push(p("The store holds no evaluation results for this model; run ", code("quantlens eval <model> --text <file> --spec FP32,W8,W4,W3 --db <file>"), " to measure them."));
    if (rec) section.blocks.push(predictedTable(rec));
    return section;
  }
  const s = fromQuery("eval_results");
  const fp = rows.find((r) => r.spec.toUpperCase() === "FP32");
  const predicted = (spec: string) => rec?.specs.find((x) => specKey(x.spec) === specKey(spec)) ?? null;
  const ev = (ids: string[]) => ({ queries: [], evidence: ids, via: "lib/recommend evidence aggregate" });
  const worstKl = rows.filter((r) => r.kl !== null).sort((a, b) => b.kl! - a.kl!)[0];
  section.blocks.push(p(
    "Each spec was evaluated against FP32 on the same text (", num(fp?.tokens ?? rows[0]!.tokens, { kind: "int" }, s), " predicted tokens)",
    ...(worstKl ? [": the largest KL divergence is ", code(worstKl.spec), "'s ", num(worstKl.kl, { kind: "sig", digits: 4 }, s), " nats"] : []),
    ". KL is the mean over predicted positions of sum p_fp (log p_fp - log p_q); top-1 agreement is the share of positions whose argmax agrees with FP32's.",
  ));
  const cols = [{ label: "spec" }, { label: "perplexity", align: "right" as const }, { label: "mean NLL", align: "right" as const }, { label: "ΔNLL vs FP32", align: "right" as const },
    { label: "KL (nats)", align: "right" as const }, { label: "top-1 agreement", align: "right" as const }];
  if (rec) cols.push({ label: "predicted worst SQNR (dB)", align: "right" as const }, { label: "evidence drop", align: "right" as const }, { label: "bucket" }, { label: "confidence", align: "right" as const });
  section.blocks.push({
    kind: "table", id: "measured",
    caption: "Measured damage per spec" + (rec ? "; predicted = the worst quantized linear's SQNR under the spec's RTN (higher is safer); evidence drop = the published mean relative drop in the deployment's scope" : ""),
    columns: cols,
    rows: rows.map((r) => {
      const cells: Inline[] = [code(r.spec), num(r.ppl, { kind: "fixed", digits: 3 }, s), num(r.mean_nll, { kind: "fixed", digits: 4 }, s),
        num(fp && r.mean_nll !== null && fp.mean_nll !== null ? r.mean_nll - fp.mean_nll : null, { kind: "fixed", digits: 4 }, fromQuery("eval_results", "difference to the FP32 row")),
        num(r.kl, { kind: "sig", digits: 4 }, s), num(r.top1_agreement, { kind: "pct", digits: 2 }, s)];
      if (rec) {
        const x = predicted(r.spec);
        cells.push(x?.predicted ? num(x.predicted.worst_sqnr_db, { kind: "fixed", digits: 1 }, PREDICTED) : "n/a",
          x?.aggregate ? num(x.aggregate.mean_rel_drop_pct / 100, { kind: "pct", digits: 1 }, ev(x.evidence)) : "n/a",
          x ? x.bucket : "n/a", x ? num(x.confidence.value, { kind: "fixed", digits: 2 }, ev(x.evidence)) : "n/a");
      }
      return cells;
    }),
  });
  const bars = rows.filter((r) => r.spec.toUpperCase() !== "FP32").map((r) => ({ label: r.spec, value: r.kl }));
  if (bars.length) {
    section.blocks.push({ kind: "figure", id: "kl-per-spec", caption: "KL divergence from FP32 per spec (nats, log scale)", source: s, chart: { kind: "bars", metric: "KL (nats)", scale: "log", bars } });
  }
  return section;
}

/** Without measurements: what the weights and the evidence predict per candidate spec. */
function predictedTable(rec: RecommendationView): Table {
  const ev = (ids: string[]) => ({ queries: [], evidence: ids, via: "lib/recommend evidence aggregate" });
  return {
    kind: "table", id: "predicted", caption: "Predicted sensitivity per spec: the worst quantized linear's SQNR under the spec's RTN (higher is safer) and the published mean relative drop in the deployment's scope",
    columns: [{ label: "spec" }, { label: "predicted worst SQNR (dB)", align: "right" }, { label: "worst tensor" }, { label: "evidence drop", align: "right" }, { label: "bucket" }],
    rows: rec.specs.map((x) => [code(x.spec), x.predicted ? num(x.predicted.worst_sqnr_db, { kind: "fixed", digits: 1 }, PREDICTED) : "n/a", x.predicted?.worst ? code(x.predicted.worst) : "n/a",
      x.aggregate ? num(x.aggregate.mean_rel_drop_pct / 100, { kind: "pct", digits: 1 }, ev(x.evidence)) : "n/a", x.bucket]),
  };
}
