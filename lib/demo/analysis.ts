/** The demo document as a ModelAnalysis (browser-safe: no file access). */
import type { MeasuredRun, ModelAnalysis } from "../analysis/types.ts";
import type { DemoEval } from "./eval-schema.ts";
import type { Demo } from "./schema.ts";

/** The demo as the dashboard takes it; `generated_by` is kept for callers written before ModelAnalysis. */
export type DemoAnalysis = ModelAnalysis & { generated_by: string };

/** The dashboard's view of a validated demo document (id "demo"), with its evaluation run when there is one. */
export function demoAnalysis(d: Demo, evalDoc?: DemoEval | null): DemoAnalysis {
  return {
    id: "demo", model: d.model, tensors: d.tensors, channels: d.channels, histograms: d.histograms,
    quantErrors: d.quantErrors, generatedBy: d.generated_by, generated_by: d.generated_by,
    ...(evalDoc ? { measured: measuredRunOf(evalDoc) } : {}),
  };
}

/** The evaluation document as the panels read it. */
export function measuredRunOf(e: DemoEval): MeasuredRun {
  return {
    generatedBy: e.generated_by,
    text: { file: e.text.file, documents: e.text.documents, tokens: e.results[0]!.tokens },
    results: e.results.map(({ spec, ppl, mean_nll, kl, top1_agreement, tokens }) => ({ spec, ppl, mean_nll, kl, top1_agreement, tokens })),
  };
}
