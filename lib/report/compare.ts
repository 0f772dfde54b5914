/**
 * Two runs side by side as one report document (issue 11 item 5): statistics per tensor with their
 * differences (b - a; a diverging layer x module heatmap of the kurtosis change, difference columns
 * shaded on a diverging scale), eval metrics per spec with deltas, and the two recommendations.
 * The rows come from compare-load.ts; every number names its query.
 */
import { pairCounts } from "../analysis/compare.ts";
import type { Store } from "../store/store.ts";
import { VERSION } from "../version.ts";
import type { ReportOptions } from "./build.ts";
import { loadComparison, type CompareLoadOptions, type CompareSide, type Comparison } from "./compare-load.ts";
import { code, num, p, type Inline, type NumFormat, type ReportDoc, type Section } from "./model.ts";
import { fromQuery } from "./query-log.ts";
import type { RecommendationView } from "./recommendation-view.ts";
import { recommendationLine } from "./sections/recommendation.ts";

/** Tensors listed in the per-tensor table (largest kurtosis change first; the heatmap shows every linear). */
export const COMPARE_TENSORS = 15;

const k4: NumFormat = { kind: "sig", digits: 4 };
const LINEARS = ["q", "k", "v", "o", "gate", "up", "down"];
const PAIRED = "pairTensors (lib/analysis/compare.ts)";
const right = (labels: string[]) => labels.map((label, i) => ({ label, align: i ? "right" as const : "left" as const }));

export interface CompareOptions extends Pick<ReportOptions, "now" | "toolVersion">, CompareLoadOptions {}

/** The comparison of run `a` with run `b` (differences are b - a). */
export async function buildComparison(store: Store, runA: string, runB: string, opts: CompareOptions = {}): Promise<ReportDoc> {
  return comparisonDoc(await loadComparison(store, runA, runB, opts), opts);
}

/** The report document of a loaded comparison. */
export function comparisonDoc(c: Comparison, opts: Pick<ReportOptions, "now" | "toolVersion"> = {}): ReportDoc {
  const { a, b } = c;
  const [ma, mb] = [a.ctx.model, b.ctx.model];
  return {
    header: {
      title: `quantlens comparison: ${ma.name} vs ${mb.name}`, model: `a = ${ma.name}, b = ${mb.name}`,
      modelId: `a = ${ma.model_id}, b = ${mb.model_id}`, format: `${ma.format} / ${mb.format}`, fileHashes: [],
      toolVersion: opts.toolVersion ?? VERSION, date: (opts.now ?? new Date()).toISOString().slice(0, 10),
      baseline: `run a (${a.runId}): every difference is b - a`, statsRun: [a.ctx.statsRun, b.ctx.statsRun].map((r) => r ?? "none").join(" vs "),
      evalRuns: [...new Set([...a.evals, ...b.evals].map((r) => r.run_id))],
    },
    sections: [runsSection(a, b), statsSection(c), evalSection(c), recSection(a.rec, b.rec)],
    queries: c.log.uses, evidence: [],
  };
}

function runsSection(a: CompareSide, b: CompareSide): Section {
  const s = fromQuery("model");
  const row = (label: string, x: CompareSide): Inline[] =>
    [label, code(x.runId), code(x.ctx.model.name), x.ctx.model.format, num(x.ctx.model.params, { kind: "int" }, s), x.ctx.statsRun ? code(x.ctx.statsRun) : "none"];
  return {
    id: "runs", title: "Runs compared",
    blocks: [{ kind: "table", id: "runs", caption: "The two runs (a statistics run or an eval run; the other side of a model comes from its latest runs)",
      columns: [{ label: "side" }, { label: "run" }, { label: "model" }, { label: "format" }, { label: "parameters (all names)", align: "right" }, { label: "statistics run" }],
      rows: [row("a", a), row("b", b)] }],
  };
}

function statsSection(c: Comparison): Section {
  const section: Section = { id: "compare-stats", title: "Statistics per tensor", blocks: [] };
  if (!c.tensors) {
    section.blocks.push(p("One side has no statistics run: run ", code("quantlens stats <model> --db <file>"), " for it."));
    return section;
  }
  const s = fromQuery("run_tensor_stats", PAIRED), d = fromQuery("run_tensor_stats", `${PAIRED}: difference b - a`);
  const n = pairCounts(c.tensors);
  const count = (x: number) => num(x, { kind: "int" }, s);
  section.blocks.push(
    p(count(n.both), " tensors are in both runs, ", count(n.onlyA), " only in a, ", count(n.onlyB), " only in b."),
    { kind: "table", id: "compare-tensors", caption: `The ${COMPARE_TENSORS} tensors whose kurtosis changed most`, diverging: [3, 6, 7],
      columns: right(["tensor", "kurtosis a", "kurtosis b", "Δ kurtosis", "absmax/std a", "absmax/std b", "Δ absmax/std", "Δ absmax"]),
      rows: c.tensors.slice(0, COMPARE_TENSORS).map((r) => [code(r.name), num(r.a?.kurtosis, k4, s), num(r.b?.kurtosis, k4, s), num(r.d_kurtosis, k4, d),
        num(r.a?.absmax_over_std, k4, s), num(r.b?.absmax_over_std, k4, s), num(r.d_ratio, k4, d), num(r.d_absmax, k4, d)]) },
  );
  const cells = c.tensors.filter((r) => r.layer !== null && r.module !== null && LINEARS.includes(r.module))
    .map((r) => ({ layer: r.layer!, module: r.module!, name: r.name, value: r.d_kurtosis }));
  if (cells.length) {
    section.blocks.push({ kind: "figure", id: "heatmap-d-kurtosis", caption: "Kurtosis change b - a of the quantized linears (blue: lower in b, red: higher)", source: d,
      chart: { kind: "heatmap", metric: "Δ kurtosis", colors: "diverging", layers: [...new Set(cells.map((x) => x.layer))].sort((x, y) => x - y), modules: LINEARS.filter((m) => cells.some((x) => x.module === m)), cells } });
  }
  return section;
}

function evalSection(c: Comparison): Section {
  const s = fromQuery("eval_results"), d = fromQuery("eval_results", "pairEvals (lib/analysis/compare.ts): difference b - a");
  const f3: NumFormat = { kind: "fixed", digits: 3 }, pct: NumFormat = { kind: "pct", digits: 2 };
  const rows = c.evals.map((r): Inline[] => [code(r.specB ? `${r.spec} → ${r.specB}` : r.spec), num(r.a?.ppl, f3, s), num(r.b?.ppl, f3, s), num(r.d_ppl, f3, d),
    num(r.a?.kl, k4, s), num(r.b?.kl, k4, s), num(r.d_kl, k4, d), num(r.a?.top1_agreement, pct, s), num(r.b?.top1_agreement, pct, s), num(r.d_top1, pct, d)]);
  return {
    id: "compare-eval", title: "Eval metrics per spec",
    blocks: rows.length
      ? [{ kind: "table", id: "compare-eval", caption: "Perplexity, KL from FP32 and top-1 agreement per spec (each side against its own FP32; a → b where the two runs spell or quantize it differently)", diverging: [3, 6],
          columns: right(["spec", "ppl a", "ppl b", "Δ ppl", "KL a", "KL b", "Δ KL", "top-1 a", "top-1 b", "Δ top-1"]), rows }]
      : [p("Neither side has evaluation results in the store.")],
  };
}

function recSection(a: RecommendationView | null, b: RecommendationView | null): Section {
  const line = (r: RecommendationView | null) => (r ? recommendationLine(r) : "no recommendation computed");
  return {
    id: "compare-recommendation", title: "Recommendations side by side",
    blocks: [{ kind: "table", id: "compare-recommendation", caption: "What the recommendation engine says for each side", columns: [{ label: "side" }, { label: "recommendation" }],
      rows: [["a", line(a)], ["b", line(b)]] }],
  };
}
