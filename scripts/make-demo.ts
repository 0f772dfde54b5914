/**
 * Writes data/demo/<name>.json, the embedded default the dashboard shows, computed by the
 * project's own library from a real checkpoint (results only, no weights), and
 * data/demo/<name>-eval.json, the evaluation run of the shipped data/demo/<name>.gguf on the
 * TinyStories validation excerpt, computed by `quantlens eval --json` (lib/cli/demo-eval.ts).
 * Usage: npm run demo:data [-- <model path> <name>]   (fixtures from ../shared or $QUANTLENS_FIXTURES)
 */
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { demoFromModel } from "../lib/demo/make.ts";
import { DEMO_EVAL_SPECS, demoEvalFromCli } from "../lib/cli/demo-eval.ts";

const shared = process.env.QUANTLENS_FIXTURES ?? "../shared";
const [model = join(shared, "models/stories260K.bin"), name = "stories260K"] = process.argv.slice(2);
const demo = await demoFromModel(model, name);
const file = join(process.cwd(), "data/demo", `${name}.json`);
// one line per array of numbers (channel profiles, histograms): readable diffs, a third of the size
const text = JSON.stringify(demo, null, 1).replace(/\[\s*(-?[\d.eE+-]+|null)(?:,\s*(-?[\d.eE+-]+|null))*\s*\]/g, (m) => m.replace(/\s+/g, ""))
  .replace(/\{\s*"spec":[^{}]*\}/g, (m) => m.replace(/\s+/g, "")); // one line per quantization error
await writeFile(file, `${text}\n`);
process.stderr.write(`wrote ${file}: ${demo.tensors.length} tensors\n`);

// the evaluation run of the model file the demo ships (same weights), so "Evaluate" reproduces it in the browser
const gguf = join(process.cwd(), "data/demo", `${name}.gguf`);
if (existsSync(gguf)) {
  const evalDoc = await demoEvalFromCli({
    model: gguf, text: join(shared, "corpora/tinystories_valid_excerpt.txt"), calib: join(shared, "corpora/tinystories_sample.txt"), specs: DEMO_EVAL_SPECS,
  });
  const evalFile = join(process.cwd(), "data/demo", `${name}-eval.json`);
  await writeFile(evalFile, `${JSON.stringify(evalDoc, null, 1).replace(/\{\s*"ppl":[^{}]*\}/g, (m) => m.replace(/\s+/g, ""))}\n`);
  process.stderr.write(`wrote ${evalFile}: ${evalDoc.results.length} specs on ${evalDoc.text.file}\n`);
} else process.stderr.write(`no ${gguf}: evaluation run not written\n`);
