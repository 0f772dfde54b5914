/**
 * Hugging Face names for ONNX initializers. torch.onnx keeps parameter names for weights it
 * uses as-is (`m.model.layers.0.input_layernorm.weight`: a wrapper prefix is stripped) but
 * turns each nn.Linear weight into an anonymous, pre-transposed MatMul input (`val_122`,
 * `onnx::MatMul_123`, stored [in, out]). Those are named by walking the graph in order:
 * a Mul by layer i's input_layernorm starts its attention block, whose weight MatMuls are
 * q, k, v, o in forward order; post_attention_layernorm starts the MLP (gate, up, down);
 * a Gather on a 2-D initializer is the embedding; a MatMul after model.norm is lm_head.
 */
import { layerOf, moduleOf } from "./names.ts";
import type { ModelConfig, TensorInfo } from "./types.ts";
import { maxOf } from "../tensor/extent.ts";

/** One graph node as onnx.ts records it. */
export interface GraphNode { opType: string; name: string; inputs: string[]; outputs: string[] }

/** Prefixes of Hugging Face names; hfSuffix finds one at a `.` boundary of the name's tail. */
const HF_PREFIXES = ["model.", "lm_head."];
const NORM_RE = /^model\.layers\.(\d+)\.(input_layernorm|post_attention_layernorm)\.weight$/;
const ATTN = ["q_proj", "k_proj", "v_proj", "o_proj"];
const MLP = ["gate_proj", "up_proj", "down_proj"];

/** `[A-Za-z0-9_.]`: the characters of a Hugging Face name. */
function isNameChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46;
}

/**
 * A Hugging Face-looking name inside `name` (`m.model.norm.weight` → `model.norm.weight`), else null:
 * the leftmost `model.x`/`lm_head.x` at the start or after a `.` within the name's trailing run of
 * `[\w.]`. One pass (the regex `(?:^|\.)((?:model|lm_head)\.[\w.]+)$` was quadratic on crafted names).
 */
export function hfSuffix(name: string): string | null {
  let run = name.length; // start of the trailing run of name characters
  while (run > 0 && isNameChar(name.charCodeAt(run - 1))) run--;
  for (let p = run; p < name.length; p++) {
    if (p > 0 && name.charCodeAt(p - 1) !== 46) continue;
    for (const pre of HF_PREFIXES) if (name.length > p + pre.length && name.startsWith(pre, p)) return name.slice(p);
  }
  return null;
}

/** Integer index constants and scalars are graph plumbing, not weights. */
function isConstant(t: TensorInfo): boolean {
  return t.dtype === "I64" || t.shape.length === 0;
}

/** Initializers up to this size without a weight name are graph buffers (RoPE frequencies, masks), not weights. */
export const MAX_GRAPH_CONSTANT_NUMEL = 4096;

/** Where an op takes its weight: the input slot of MatMul/Gemm/Conv (B, W), Gather (data), Transpose (one in). */
const WEIGHT_SLOT: Record<string, number> = { MatMul: 1, Gemm: 1, Conv: 1, Gather: 0, Transpose: 0 };

/** A small initializer of a graph that neither its name (`….weight` / `….bias`) nor a weight-consuming op makes a weight. */
function graphConstantTest(nodes: GraphNode[]): (t: TensorInfo) => boolean {
  if (nodes.length === 0) return () => false; // no graph to tell: keep every initializer
  const fed = new Set(nodes.map((n) => n.inputs[WEIGHT_SLOT[n.opType] ?? -1]).filter((x): x is string => x !== undefined));
  // a weight is a matrix (or a conv kernel) in a weight slot; a [1, 4, 1] RoPE buffer in a MatMul is not
  return (t) => !/\.(weight|bias)$/.test(t.name) && t.numel <= MAX_GRAPH_CONSTANT_NUMEL && !(fed.has(t.fileName) && t.shape.length >= 2 && t.shape[0]! > 1);
}

/** Renames initializers to HF names and sets `layout`; returns the weights, the constants and a config. */
export function onnxNames(all: TensorInfo[], nodes: GraphNode[]) {
  const tensors = all.filter((t) => !isConstant(t)).map((t) => ({ ...t, name: hfSuffix(t.fileName) ?? t.fileName }));
  const constants = all.filter(isConstant).map((t) => t.fileName);
  const byFile = new Map(tensors.map((t) => [t.fileName, t]));
  const transposed = new Map<string, TensorInfo>(); // Transpose output → initializer
  let phase: "none" | "attn" | "mlp" | "final" = "none";
  let layer = -1, count = 0;
  let embed: TensorInfo | undefined;

  for (const n of nodes) {
    const inits = n.inputs.map((i) => byFile.get(i)).filter((t): t is TensorInfo => t !== undefined);
    for (const t of inits) {
      const m = NORM_RE.exec(t.name);
      if (m) { phase = m[2] === "input_layernorm" ? "attn" : "mlp"; layer = Number(m[1]); count = 0; }
      else if (t.name === "model.norm.weight") { phase = "final"; count = 0; }
    }
    if (n.opType === "Transpose" && inits.length === 1) transposed.set(n.outputs[0]!, inits[0]!);
    if (n.opType === "Gather" && inits[0]?.shape.length === 2 && n.inputs[0] === inits[0].fileName) embed ??= inits[0];
    if (n.opType !== "MatMul") continue;
    const direct = n.inputs[1] !== undefined ? byFile.get(n.inputs[1]) : undefined;
    const viaT = n.inputs[1] !== undefined ? transposed.get(n.inputs[1]) : undefined;
    const w = direct ?? viaT;
    if (!w || w.shape.length !== 2) continue;
    w.layout = direct ? "in_out" : "out_in"; // A @ W: W is [in, out] unless transposed first
    if (hfSuffix(w.fileName)) continue; // already named
    const slots = phase === "attn" ? ATTN : phase === "mlp" ? MLP : [];
    if (phase === "final" && count++ === 0) w.name = "lm_head.weight";
    else if (count < slots.length) {
      const mod = phase === "attn" ? "self_attn" : "mlp";
      w.name = `model.layers.${layer}.${mod}.${slots[count++]}.weight`;
    }
  }

  // tied embeddings: one initializer serves as both the embedding and lm_head (DESIGN.md)
  const has = (name: string) => tensors.some((t) => t.name === name);
  if (embed && !has("model.embed_tokens.weight")) {
    if (embed.name === "lm_head.weight") tensors.push({ ...embed, name: "model.embed_tokens.weight", layout: undefined });
    else embed.name = "model.embed_tokens.weight";
  }
  const emb = tensors.find((t) => t.name === "model.embed_tokens.weight");
  const lm = tensors.find((t) => t.name === "lm_head.weight");
  const tied = emb !== undefined && (lm === undefined || lm.fileName === emb.fileName);
  if (emb && !lm) tensors.push({ ...emb, name: "lm_head.weight" });
  // what kept no weight name (e.g. a RoPE inv_freq buffer "expand_1" [1, 4, 1]) is a graph constant, not a model tensor
  const isGraphConstant = graphConstantTest(nodes);
  const weights = tensors.filter((t) => !isGraphConstant(t));
  for (const t of tensors) if (isGraphConstant(t)) constants.push(t.fileName);
  weights.sort((a, b) => rank(a) - rank(b));
  return { tensors: weights, buffers: tensors.filter(isGraphConstant), constants, config: configOf(weights, tied) };
}

const ORDER = ["norm", "q", "k", "v", "o", "gate", "up", "down"];

/** Canonical order: embedding, layers (modules in forward order), final norm, lm_head, others. */
function rank(t: TensorInfo): number {
  const kind = moduleOf(t.name);
  if (kind === "embed") return 0;
  const layer = layerOf(t.name);
  if (layer !== null) return 1 + layer * 100 + (t.name.includes("post_attention") ? 5.5 : ORDER.indexOf(kind) + 1);
  if (t.name === "model.norm.weight") return 1e12;
  return kind === "lm_head" ? 2e12 : 3e12;
}

/** What the initializer shapes tell about the architecture (ONNX has no config). */
function configOf(tensors: TensorInfo[], tied: boolean): ModelConfig {
  const get = (name: string) => tensors.find((t) => t.name === name);
  const outIn = (t: TensorInfo) => (t.layout === "in_out" ? [t.shape[1]!, t.shape[0]!] : t.shape);
  const cfg: ModelConfig = { architecture: "llama", tiedEmbeddings: tied };
  const emb = get("model.embed_tokens.weight");
  if (emb?.shape.length === 2) { cfg.vocabSize = emb.shape[0]; cfg.dim = emb.shape[1]; }
  const layers = tensors.map((t) => layerOf(t.name)).filter((l): l is number => l !== null);
  if (layers.length) cfg.nLayers = maxOf(layers) + 1;
  const gate = get("model.layers.0.mlp.gate_proj.weight");
  if (gate?.shape.length === 2) cfg.hiddenDim = outIn(gate)[0];
  return cfg;
}
