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
await writeFile(file, `${JSON.stringify(demo, null, 1)}\n`);
process.stderr.write(`wrote ${file}: ${demo.tensors.length} tensors\n`);
