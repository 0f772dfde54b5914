/** The demo document as a ModelAnalysis (browser-safe: no file access). */
import type { ModelAnalysis } from "../analysis/types.ts";
import type { Demo } from "./schema.ts";

/** The demo as the dashboard takes it; `generated_by` is kept for callers written before ModelAnalysis. */
export type DemoAnalysis = ModelAnalysis & { generated_by: string };

/** The dashboard's view of a validated demo document (id "demo"). */
export function demoAnalysis(d: Demo): DemoAnalysis {
  return {
    id: "demo", model: d.model, tensors: d.tensors, channels: d.channels, histograms: d.histograms,
    quantErrors: d.quantErrors, generatedBy: d.generated_by, generated_by: d.generated_by,
  };
}
