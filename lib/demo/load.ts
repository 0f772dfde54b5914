/** Reads and validates the embedded demo results on the server. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ModelAnalysis } from "../dashboard/types.ts";
import { DemoSchema, type Demo } from "./schema.ts";

/** The default model shown on a first visit: statistics our CLI computed for stories260K. */
export const DEFAULT_DEMO = "stories260K";

/** The demo as the dashboard takes it; `generated_by` is kept for callers written before ModelAnalysis. */
export type DemoAnalysis = ModelAnalysis & { generated_by: string };

/** The dashboard's view of a validated demo document (id "demo"). */
export function demoAnalysis(d: Demo): DemoAnalysis {
  return {
    id: "demo", model: d.model, tensors: d.tensors, channels: d.channels, histograms: d.histograms,
    quantErrors: d.quantErrors, generatedBy: d.generated_by, generated_by: d.generated_by,
  };
}

/** Loads data/demo/<name>.json; throws with the file name when it is missing or malformed. */
export async function loadDemo(name = DEFAULT_DEMO): Promise<DemoAnalysis> {
  const file = join(process.cwd(), "data/demo", `${name}.json`);
  const parsed = DemoSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`);
  return demoAnalysis(parsed.data);
}
