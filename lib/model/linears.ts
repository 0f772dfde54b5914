/**
 * Every linear of a layer, whatever the family: q/k/v/o, the dense MLP (gate/up/down; OPT's fc1 = up,
 * fc2 = down) or each MoE expert's gate/up/down. Quantization (lib/model/methods.ts), the forward
 * pass's builder (lib/model/llama.ts) and calibration sites all walk this one list, so a family's
 * linears are all quantized and all run on the kernels. The router, norms, embeddings and lm_head
 * are not linears here: they stay in float (Qllm-Eval semantics).
 */
import type { LlamaConfig } from "./config.ts";
import type { LinearSite } from "./forward.ts";
import { layerNames } from "./tensor-names.ts";
import type { LayerWeights } from "./weights.ts";

export type LinearKind = "q" | "k" | "v" | "o" | "gate" | "up" | "down";

/** One linear weight [rows = out, cols = in] of a layer, as stored in `L` (folding rescales it in place). */
export interface LinearRef {
  /** the file's tensor name (Phi-3's fused parts: `...qkv_proj.weight:q`, `...gate_up_proj.weight:gate`) */
  name: string;
  kind: LinearKind;
  /** MoE: the expert's index */
  expert?: number;
  rows: number;
  cols: number;
  /** where its input comes from (calibration statistics) */
  site: LinearSite;
  w: Float32Array;
}

/** The linears of layer `l` (weights `L`), in forward order. */
export function layerLinears(c: LlamaConfig, L: LayerWeights, l: number): LinearRef[] {
  const n = layerNames(c, l);
  const qDim = c.nHeads * c.headDim, kv = c.nKvHeads * c.headDim, H = c.hiddenDim;
  const fusedQkv = c.family.arch === "phi3"; // Phi-3 checkpoints store qkv_proj and gate_up_proj fused
  const attn = (kind: "q" | "k" | "v", w: Float32Array, rows: number): LinearRef =>
    ({ name: fusedQkv ? `${n.qkv}.weight:${kind}` : `${n[kind]}.weight`, kind, rows, cols: c.dim, site: "attn", w });
  const out: LinearRef[] = [attn("q", L.wq, qDim), attn("k", L.wk, kv), attn("v", L.wv, kv), { name: `${n.o}.weight`, kind: "o", rows: c.dim, cols: qDim, site: "o", w: L.wo }];
  if (L.experts) {
    L.experts.forEach((X, e) => {
      out.push({ name: `${n.expert(e, "gate")}.weight`, kind: "gate", expert: e, rows: H, cols: c.dim, site: `ffn.${e}`, w: X.gate });
      out.push({ name: `${n.expert(e, "up")}.weight`, kind: "up", expert: e, rows: H, cols: c.dim, site: `ffn.${e}`, w: X.up });
      out.push({ name: `${n.expert(e, "down")}.weight`, kind: "down", expert: e, rows: c.dim, cols: H, site: `down.${e}`, w: X.down });
    });
    return out;
  }
  const fusedGateUp = c.family.arch === "phi3";
  if (L.gate) out.push({ name: fusedGateUp ? `${n.gateUp}.weight:gate` : `${n.gate}.weight`, kind: "gate", rows: H, cols: c.dim, site: "ffn", w: L.gate });
  out.push({ name: fusedGateUp ? `${n.gateUp}.weight:up` : `${n.up}.weight`, kind: "up", rows: H, cols: c.dim, site: "ffn", w: L.up! });
  out.push({ name: `${n.down}.weight`, kind: "down", rows: c.dim, cols: H, site: "down", w: L.down! });
  return out;
}

/** The MoE router's tensor name in layer l. */
export function routerName(c: LlamaConfig, l: number): string {
  return `${layerNames(c, l).router}.weight`;
}
