/**
 * What a causal LM graph wants as inputs, told from the session's input metadata, and the
 * tensors that feed one window run from an empty cache: input_ids [1, T]; attention_mask (ones)
 * and position_ids (0..T-1) when the graph has them; token_type_ids as zeros; past key/value
 * inputs as empty tensors (past length 0); optimum's use_cache_branch as false.
 */
import * as ort from "onnxruntime-web";
import { OrtEngineError } from "./errors.ts";

type Role = "ids" | "mask" | "positions" | "zeros" | "past" | "flag";

/** One graph input and how it is fed. */
export interface InputPlan { name: string; role: Role; type: ort.Tensor.Type; shape: ReadonlyArray<number | string> }

const ROLES: Array<[RegExp, Role]> = [
  [/attention_mask/, "mask"], [/position_ids/, "positions"], [/token_type_ids/, "zeros"],
  [/^past|past_key_values|cache\.|\.key$|\.value$/, "past"], [/use_cache_branch/, "flag"],
];

/** Assigns a role to every input; throws OrtEngineError for an input this engine cannot feed. */
export function planInputs(model: string, meta: readonly ort.InferenceSession.ValueMetadata[], inputName?: string): InputPlan[] {
  const tensors = meta.map((m) => {
    if (!m.isTensor) throw new OrtEngineError(model, `graph input "${m.name}" is not a tensor`);
    return m;
  });
  const ids = inputName ?? (tensors.find((m) => /input_ids/.test(m.name)) ?? (tensors.length === 1 ? tensors[0] : undefined))?.name;
  if (!ids || !tensors.some((m) => m.name === ids)) {
    throw new OrtEngineError(model, `no token id input${inputName ? ` named "${inputName}"` : ""} among graph inputs ${tensors.map((m) => m.name).join(", ")}`);
  }
  return tensors.map((m) => {
    const role = m.name === ids ? "ids" : ROLES.find(([re]) => re.test(m.name))?.[1];
    if (!role) throw new OrtEngineError(model, `graph input "${m.name}" is not one a causal LM engine can feed (input_ids, attention_mask, position_ids, past key/values)`);
    if (role !== "past" && role !== "flag" && m.type !== "int64" && m.type !== "int32") {
      throw new OrtEngineError(model, `graph input "${m.name}" has type ${m.type}, expected int64 or int32`);
    }
    return { name: m.name, role, type: m.type, shape: m.shape };
  });
}

/** An integer tensor [1, T] of the input's type. */
function ints(p: InputPlan, values: (i: number) => number, n: number): ort.Tensor {
  if (p.type === "int32") return new ort.Tensor("int32", Int32Array.from({ length: n }, (_, i) => values(i)), [1, n]);
  return new ort.Tensor("int64", BigInt64Array.from({ length: n }, (_, i) => BigInt(values(i))), [1, n]);
}

/** An empty past tensor: the first symbolic dimension is the batch (1), the others the past length (0). */
function emptyPast(model: string, p: InputPlan): ort.Tensor {
  let symbolic = 0;
  const dims = p.shape.map((d) => (typeof d === "number" ? d : symbolic++ === 0 ? 1 : 0));
  if (!dims.includes(0)) throw new OrtEngineError(model, `cannot make an empty cache for input "${p.name}" of shape [${p.shape.join(", ")}]`);
  const empty = p.type === "float16" ? new Uint16Array(0) : new Float32Array(0);
  return new ort.Tensor(p.type as "float32", empty as Float32Array, dims);
}

/** The feeds of one run over `tokens` from an empty cache. */
export function buildFeeds(model: string, plans: InputPlan[], tokens: Int32Array): Record<string, ort.Tensor> {
  const n = tokens.length;
  const feeds: Record<string, ort.Tensor> = {};
  for (const p of plans) {
    switch (p.role) {
      case "ids": feeds[p.name] = ints(p, (i) => tokens[i]!, n); break;
      case "mask": feeds[p.name] = ints(p, () => 1, n); break;
      case "positions": feeds[p.name] = ints(p, (i) => i, n); break;
      case "zeros": feeds[p.name] = ints(p, () => 0, n); break;
      case "past": feeds[p.name] = emptyPast(model, p); break;
      case "flag": feeds[p.name] = new ort.Tensor("bool", Uint8Array.of(0), [1]); break;
    }
  }
  return feeds;
}
