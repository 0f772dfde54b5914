/** Reads and validates the embedded demo results on the server. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { demoAnalysis, type DemoAnalysis } from "./analysis.ts";
import { DemoSchema } from "./schema.ts";

export { demoAnalysis, type DemoAnalysis };

/** The default model shown on a first visit: statistics our CLI computed for stories260K. */
export const DEFAULT_DEMO = "stories260K";

/** Loads data/demo/<name>.json; throws with the file name when it is missing or malformed. */
export async function loadDemo(name = DEFAULT_DEMO): Promise<DemoAnalysis> {
  const file = join(process.cwd(), "data/demo", `${name}.json`);
  const parsed = DemoSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`);
  return demoAnalysis(parsed.data);
}
