/**
 * Writes data/demo/<name>.json: the embedded default the dashboard shows, computed by
 * the project's own library from a real checkpoint (results only, no weights).
 * Usage: npm run demo:data [-- <model path> <name>]
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { demoFromModel } from "../lib/demo/make.ts";

const [model = "../shared/models/stories260K.bin", name = "stories260K"] = process.argv.slice(2);
const demo = await demoFromModel(model, name);
const file = join(process.cwd(), "data/demo", `${name}.json`);
// one line per array of numbers (channel profiles, histograms): readable diffs, a third of the size
const text = JSON.stringify(demo, null, 1).replace(/\[\s*(-?[\d.eE+-]+|null)(?:,\s*(-?[\d.eE+-]+|null))*\s*\]/g, (m) => m.replace(/\s+/g, ""))
  .replace(/\{\s*"spec":[^{}]*\}/g, (m) => m.replace(/\s+/g, "")); // one line per quantization error
await writeFile(file, `${text}\n`);
process.stderr.write(`wrote ${file}: ${demo.tensors.length} tensors\n`);
