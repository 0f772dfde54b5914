/**
 * The embedded demo's evaluation run, computed by `quantlens eval --json` itself (the command's own
 * run(), its output captured): one JSON document per model, validated by DemoEvalSchema.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { DemoEvalSchema, DemoSpecResultSchema, type DemoEval } from "../demo/eval-schema.ts";
import { splitDocuments } from "../model/protocol.ts";
import { VERSION } from "../version.ts";
import { run as runEval } from "./commands/eval.ts";
import { openModel } from "../formats/open.ts";
import { nodeRuntime } from "../formats/open-node.ts";

/** The specs of the demo run (DESIGN.md's spec strings): the ladder, activations, KV cache and the calibrated W3s. */
export const DEMO_EVAL_SPECS = ["FP32", "W8", "W4", "W3", "W2", "W8A8", "W4A8", "W4A4", "KV8", "KV4", "KV3", "W3-awq", "W3-gptq"] as const;

export interface DemoEvalInputs { model: string; text: string; calib: string | null; specs: readonly string[] }

async function described(path: string): Promise<{ file: string; bytes: number; sha256: string; body: Uint8Array }> {
  const body = new Uint8Array(await readFile(path));
  return { file: basename(path), bytes: body.length, sha256: createHash("sha256").update(body).digest("hex"), body };
}

/** Runs `quantlens eval <model> --text <text> [--calib <calib>] --spec <specs> --json` and returns the demo document. */
export async function demoEvalFromCli(inp: DemoEvalInputs): Promise<DemoEval> {
  let out = "";
  await runEval({
    model: inp.model, text: inp.text, ...(inp.calib ? { calib: inp.calib } : {}), spec: inp.specs.join(","),
    json: true, tensor: [], workers: 1, progress: false,
  }, { out: (t) => { out += t; }, err: () => undefined, isTTY: false });
  const parsed = JSON.parse(out) as Record<string, unknown>;
  const [model, text, calib] = await Promise.all([described(inp.model), described(inp.text), inp.calib ? described(inp.calib) : null]);
  const source = await openModel(inp.model, { runtime: nodeRuntime });
  const context = source.config.contextLength;
  await source.close();
  const { body: _m, ...modelFile } = model;
  const { body, ...textFile } = text;
  return DemoEvalSchema.parse({
    generated_by: `quantlens ${VERSION} eval --json on ${modelFile.file} (karpathy/tinyllamas via ggml-org/models), text ${textFile.file}` + (calib ? `, calibration ${calib.file}` : ""),
    model: modelFile,
    text: { ...textFile, documents: splitDocuments(new TextDecoder().decode(body)).length },
    calib: calib ? { file: calib.file, bytes: calib.bytes, sha256: calib.sha256 } : null,
    context,
    results: inp.specs.map((spec) => ({ spec, ...DemoSpecResultSchema.parse(parsed[spec]) })),
  });
}
