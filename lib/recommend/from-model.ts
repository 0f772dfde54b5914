/**
 * The deployment facts an opened model gives from its headers alone (no tensor data read):
 * parameter count (shared storage once), family by name, context length, and the shapes the
 * memory footprint needs. Works on any TensorSource, so Node and the browser share it.
 */
import { kvShapeOf, quantizedLinears } from "../quant/memory.ts";
import { summarize } from "../formats/summary.ts";
import type { TensorSource } from "../formats/types.ts";
import { familyOf } from "./family.ts";
import type { ModelShape } from "./types.ts";

/** Context length used when the header states none (the dashboard's default too). */
export const DEFAULT_CONTEXT = 2048;

export interface ModelFacts { paramsB: number; family: string | null; context: number; shape: ModelShape }

/** Reads the facts from `source`'s headers. */
export function modelFacts(source: TensorSource): ModelFacts {
  const summary = summarize(source);
  const meta = source.metadata as Record<string, unknown>;
  const hf = (meta.config ?? {}) as Record<string, unknown>;
  const names = [meta["general.name"], meta["general.basename"], hf["_name_or_path"], hf["model_type"], source.config.architecture, source.name]
    .filter((x): x is string => typeof x === "string");
  return {
    paramsB: summary.params / 1e9,
    family: familyOf(...names),
    context: source.config.contextLength ?? DEFAULT_CONTEXT,
    shape: { params: summary.params, linears: quantizedLinears(source.tensors), kv: kvShapeOf(source.config as unknown as Record<string, unknown>) },
  };
}
