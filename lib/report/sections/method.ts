/** Method notes: the definitions (DESIGN.md CONTRACT), the evaluation protocol, the texts used, tool version and date. */
import { jsonObject, type ReportContext } from "../context.ts";
import { code, num, p, type Inline, type Section } from "../model.ts";
import { fromQuery } from "../query-log.ts";

/** DESIGN.md "Definitions (CONTRACT)", as the statistics implement them. */
export const DEFINITIONS = [
  "Statistics decode every dtype to float and accumulate in float64; NaN and Inf are counted and skipped.",
  "absmax = max |x_i|; mean = sum x_i / n; std = sqrt(sum (x_i - mean)^2 / n) (population, ddof 0).",
  "kurtosis = (1/n) sum ((x_i - mean) / std)^4 (Pearson: a normal distribution gives 3; null when std = 0); absmax/std is absmax divided by std.",
  "Per-channel statistics of a linear weight W[out, in]: absmax per input channel (column) and per output channel (row), max-pooled into buckets for long axes.",
  "Quantization error of a tensor under a spec: relative MSE ||x - q(x)||^2 / ||x||^2 and SQNR in dB.",
  "Specs follow Qllm-Eval's pseudo-quantization: weights asymmetric RTN per group of 128 input channels (every linear layer except lm_head), activations per token, the KV cache per token and head.",
];

/** DESIGN.md "Evaluation protocol (CONTRACT)". */
export const PROTOCOL =
  "Documents are separated by lines holding only <|endoftext|>, stripped, empty ones dropped, and tokenized with BOS first. " +
  "With S the context length, window k feeds t[a_k .. a_k+S-1] from an empty cache (positions from 0) and predicts t[a_k+1 .. a_k+S]; " +
  "a_{k+1} = a_k + S, so every token after BOS is predicted exactly once. mean_nll is the mean over predicted tokens in nats, ppl = exp(mean_nll), " +
  "KL = mean over predicted positions of sum_v p_fp(v) (log p_fp(v) - log p_q(v)), top-1 agreement = share of positions whose argmax agrees with FP32's.";

interface EvalRun { run_id: string; status: string; started_at: string | null; tool_version: string | null; params: string | null }

/** Builds the method section. `toolVersion` and `date` are the report's own. */
export async function methodSection(ctx: ReportContext, toolVersion: string, date: string): Promise<Section> {
  const runs = (await ctx.log.rows<EvalRun>("eval_runs_of_model", [ctx.model.model_id])).filter((r) => ctx.evalRun === null || r.run_id === ctx.evalRun);
  const s = fromQuery("eval_runs_of_model");
  const texts: Inline[][] = runs.map((r) => {
    const params = jsonObject(r.params);
    const str = (k: string) => (typeof params[k] === "string" ? (params[k] as string) : null);
    const specList = Array.isArray(params.specs) ? (params.specs as unknown[]).map(String) : [];
    return [code(r.run_id), `: text ${str("text") ?? "not recorded"}`, str("calib") ? `, calibration text ${str("calib")}` : ", no calibration text",
      `, ${specList.length ? specList.join(", ") : "specs not recorded"} (${r.status}, tool ${r.tool_version ?? "unknown"}, started ${r.started_at ?? "unknown"})`];
  });
  return {
    id: "method", title: "Method notes",
    blocks: [
      p("Definitions (DESIGN.md, CONTRACT):"),
      { kind: "list", items: DEFINITIONS.map((d) => [d]) },
      p("Evaluation protocol (DESIGN.md, CONTRACT): ", PROTOCOL),
      ...(texts.length
        ? [p("Texts used: ", num(runs.length, { kind: "int" }, s), " evaluation run(s)."), { kind: "list" as const, items: texts }]
        : [p("No evaluation run in the store.")]),
      p(`Statistics run: `, ctx.statsRun ? code(ctx.statsRun) : "none", `. Report written by quantlens ${toolVersion} on ${date}. `,
        "Every number names the query (or evidence rows) it came from; the appendix lists each query with its SQL and parameters."),
    ],
  };
}
