/**
 * Two runs side by side as one report document (issue 11 item 5): statistics per tensor with their
 * differences (b - a; a diverging layer x module heatmap of the kurtosis change), eval metrics per
 * spec with deltas, and the two recommendations. A run is resolved as the single report resolves it.
 */
import type { Store } from "../store/store.ts";
import { VERSION } from "../version.ts";
import { reportContext, type ReportOptions } from "./build.ts";
import type { ReportContext } from "./context.ts";
import { code, num, p, type Inline, type NumFormat, type ReportDoc, type Section, type Source } from "./model.ts";
import { fromQuery, QueryLog } from "./query-log.ts";
import { recommendationFor, type RecommendationRequest } from "./recommendation-input.ts";
import type { RecommendationView } from "./recommendation-view.ts";
import { recommendationLine } from "./sections/recommendation.ts";
import type { EvalRow } from "./sections/sensitivity.ts";

/** Tensors listed in the per-tensor table (largest kurtosis change first; the heatmap shows every linear). */
export const COMPARE_TENSORS = 15;

interface PairRow {
  name: string; layer: number | null; module: string | null; kurtosis_a: number | null; kurtosis_b: number | null; d_kurtosis: number | null;
  ratio_a: number | null; ratio_b: number | null; d_ratio: number | null; absmax_a: number | null; absmax_b: number | null; d_absmax: number | null;
}

const k4: NumFormat = { kind: "sig", digits: 4 };
const LINEARS = ["q", "k", "v", "o", "gate", "up", "down"];

export interface CompareOptions extends Pick<ReportOptions, "now" | "toolVersion" | "context"> {
  /** a request the engine answers for each side from the store's evidence, or the two results */
  recommendations?: RecommendationRequest | [RecommendationView | null, RecommendationView | null];
}

/** The comparison of run `a` with run `b` (differences are b - a). */
export async function buildComparison(store: Store, runA: string, runB: string, opts: CompareOptions = {}): Promise<ReportDoc> {
  const log = new QueryLog(store);
  const [a, b] = [await reportContext(store, { runId: runA }, opts.context, log), await reportContext(store, { runId: runB }, opts.context, log)];
  const evalsA = await log.rows<EvalRow>("eval_results", [a.model.model_id, a.evalRun, a.evalRun]);
  const evalsB = await log.rows<EvalRow>("eval_results", [b.model.model_id, b.evalRun, b.evalRun]);
  const sections = [
    runsSection(a, b, runA, runB),
    await statsSection(log, a, b),
    evalSection(evalsA, evalsB),
    recSection(await sideRecommendations(opts.recommendations, a, b)),
  ];
  return {
    header: {
      title: `quantlens comparison: ${a.model.name} vs ${b.model.name}`, model: `a = ${a.model.name}, b = ${b.model.name}`,
      modelId: `a = ${a.model.model_id}, b = ${b.model.model_id}`, format: `${a.model.format} / ${b.model.format}`, fileHashes: [],
      toolVersion: opts.toolVersion ?? VERSION, date: (opts.now ?? new Date()).toISOString().slice(0, 10),
      baseline: `run a (${runA}): every difference is b - a`, statsRun: [a.statsRun, b.statsRun].map((r) => r ?? "none").join(" vs "),
      evalRuns: [...new Set([...evalsA, ...evalsB].map((r) => r.run_id))],
    },
    sections, queries: log.uses, evidence: [],
  };
}

function runsSection(a: ReportContext, b: ReportContext, runA: string, runB: string): Section {
  const s = fromQuery("model");
  const row = (label: string, c: ReportContext, run: string): Inline[] => [label, code(run), code(c.model.name), c.model.format, num(c.model.params, { kind: "int" }, s), c.statsRun ? code(c.statsRun) : "none"];
  return {
    id: "runs", title: "Runs compared",
    blocks: [{ kind: "table", id: "runs", caption: "The two runs (a statistics run or an eval run; the other side of a model comes from its latest runs)",
      columns: [{ label: "side" }, { label: "run" }, { label: "model" }, { label: "format" }, { label: "parameters (all names)", align: "right" }, { label: "statistics run" }],
      rows: [row("a", a, runA), row("b", b, runB)] }],
  };
}

async function statsSection(log: QueryLog, a: ReportContext, b: ReportContext): Promise<Section> {
  const section: Section = { id: "compare-stats", title: "Statistics per tensor", blocks: [] };
  if (!a.statsRun || !b.statsRun) {
    section.blocks.push(p("One side has no statistics run: run ", code("quantlens stats <model> --db <file>"), " for it."));
    return section;
  }
  const rows = await log.rows<PairRow>("compare_tensor_stats", [a.statsRun, b.statsRun]);
  const s = fromQuery("compare_tensor_stats"), d = fromQuery("compare_tensor_stats", "difference b - a");
  const both = rows.filter((r) => r.kurtosis_a !== null || r.absmax_a !== null).filter((r) => r.kurtosis_b !== null || r.absmax_b !== null);
  const count = (xs: PairRow[]) => num(xs.length, { kind: "int" }, s);
  section.blocks.push(
    p(count(both), " tensors are in both runs, ", count(rows.filter((r) => r.absmax_b === null && r.kurtosis_b === null)), " only in a, ",
      count(rows.filter((r) => r.absmax_a === null && r.kurtosis_a === null)), " only in b."),
    { kind: "table", id: "compare-tensors", caption: `The ${COMPARE_TENSORS} tensors whose kurtosis changed most`,
      columns: ["tensor", "kurtosis a", "kurtosis b", "Δ kurtosis", "absmax/std a", "absmax/std b", "Δ absmax/std", "Δ absmax"].map((label, i) => ({ label, align: i ? "right" as const : "left" as const })),
      rows: rows.slice(0, COMPARE_TENSORS).map((r) => [code(r.name), num(r.kurtosis_a, k4, s), num(r.kurtosis_b, k4, s), num(r.d_kurtosis, k4, d),
        num(r.ratio_a, k4, s), num(r.ratio_b, k4, s), num(r.d_ratio, k4, d), num(r.d_absmax, k4, d)]) },
  );
  const cells = rows.filter((r) => r.layer !== null && r.module !== null && LINEARS.includes(r.module))
    .map((r) => ({ layer: r.layer!, module: r.module!, name: r.name, value: r.d_kurtosis }));
  if (cells.length) {
    section.blocks.push({ kind: "figure", id: "heatmap-d-kurtosis", caption: "Kurtosis change b - a of the quantized linears (blue: lower in b, red: higher)", source: d,
      chart: { kind: "heatmap", metric: "Δ kurtosis", colors: "diverging", layers: [...new Set(cells.map((c) => c.layer))].sort((x, y) => x - y), modules: LINEARS.filter((m) => cells.some((c) => c.module === m)), cells } });
  }
  return section;
}

function evalSection(ra: EvalRow[], rb: EvalRow[]): Section {
  const s = fromQuery("eval_results"), d = fromQuery("eval_results", "difference b - a");
  const specs = [...new Set([...ra, ...rb].map((r) => r.spec))];
  const delta = (x: number | null | undefined, y: number | null | undefined, f: NumFormat, src: Source) => num(x != null && y != null ? y - x : null, f, src);
  const rows = specs.map((spec): Inline[] => {
    const x = ra.find((r) => r.spec === spec), y = rb.find((r) => r.spec === spec);
    return [code(spec), num(x?.ppl, { kind: "fixed", digits: 3 }, s), num(y?.ppl, { kind: "fixed", digits: 3 }, s), delta(x?.ppl, y?.ppl, { kind: "fixed", digits: 3 }, d),
      num(x?.kl, k4, s), num(y?.kl, k4, s), delta(x?.kl, y?.kl, k4, d), num(x?.top1_agreement, { kind: "pct", digits: 2 }, s), num(y?.top1_agreement, { kind: "pct", digits: 2 }, s)];
  });
  return {
    id: "compare-eval", title: "Eval metrics per spec",
    blocks: rows.length
      ? [{ kind: "table", id: "compare-eval", caption: "Perplexity, KL from FP32 and top-1 agreement per spec (each side against its own FP32)",
          columns: ["spec", "ppl a", "ppl b", "Δ ppl", "KL a", "KL b", "Δ KL", "top-1 a", "top-1 b"].map((label, i) => ({ label, align: i ? "right" as const : "left" as const })), rows }]
      : [p("Neither side has evaluation results in the store.")],
  };
}

/** Each side's recommendation (the same task for both; predicted scores belong to one model, so none here). */
async function sideRecommendations(r: CompareOptions["recommendations"], a: ReportContext, b: ReportContext): Promise<[RecommendationView | null, RecommendationView | null]> {
  if (!r) return [null, null];
  if (Array.isArray(r)) return r;
  const req = { task: r.task };
  return [(await recommendationFor(a, req)).rec, (await recommendationFor(b, req)).rec];
}

function recSection([a, b]: [RecommendationView | null, RecommendationView | null]): Section {
  const line = (r: RecommendationView | null) => (r ? recommendationLine(r) : "no recommendation computed");
  return {
    id: "compare-recommendation", title: "Recommendations side by side",
    blocks: [{ kind: "table", id: "compare-recommendation", caption: "What the recommendation engine says for each side", columns: [{ label: "side" }, { label: "recommendation" }],
      rows: [["a", line(a)], ["b", line(b)]] }],
  };
}
