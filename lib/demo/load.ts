/** Reads and validates the embedded demo results on the server. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { demoAnalysis, type DemoAnalysis } from "./analysis.ts";
import { DemoSchema } from "./schema.ts";
import { DemoEvalSchema, type DemoEval } from "./eval-schema.ts";

export { demoAnalysis, type DemoAnalysis };

/** The default model shown on a first visit: statistics our CLI computed for stories260K. */
export const DEFAULT_DEMO = "stories260K";

/** Loads data/demo/<name>.json and its evaluation run <name>-eval.json (optional); throws with the file name when one is malformed. */
export async function loadDemo(name = DEFAULT_DEMO): Promise<DemoAnalysis> {
  const file = join(process.cwd(), "data/demo", `${name}.json`);
  const parsed = DemoSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`);
  return demoAnalysis(parsed.data, await loadDemoEval(name));
}

/** data/demo/<name>-eval.json, validated; null when the demo has no evaluation run. */
export async function loadDemoEval(name = DEFAULT_DEMO): Promise<DemoEval | null> {
  const file = join(process.cwd(), "data/demo", `${name}-eval.json`);
  const text = await readFile(file, "utf8").catch((e: NodeJS.ErrnoException) => { if (e.code === "ENOENT") return null; throw e; });
  if (text === null) return null;
  const parsed = DemoEvalSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}
