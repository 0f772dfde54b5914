/**
 * Kernel memory an evaluation needs, from the config alone (before any weight is read): every engine
 * of a session lives in one wasm32 memory (lib/kernels/gemm-kernel.ts MAX_GEMM_MEMORY_BYTES, 4 GB),
 * so the session picks its order by it and the browser refuses a model that cannot fit.
 * Counts: FP32 = 4 bytes per linear weight + lm_head (and the MoE router); a packed spec = its codes
 * (1 byte per weight for 5..8 bits, 1/2 for <= 4: lib/quant/pack.ts) + a float32 scale and zero per
 * group; an activation-only spec holds a float32 copy; float and KV-only specs share the FP32 linears.
 */
import type { LlamaConfig } from "../model/config.ts";
import type { QuantSpec } from "../quant/spec.ts";

/** Weights of the quantized linears (every linear but lm_head and the router) and their rows, per model. */
function linearShape(c: LlamaConfig): { weights: number; rows: number; lmHead: number } {
  const q = c.nHeads * c.headDim, kv = c.nKvHeads * c.headDim, H = c.hiddenDim;
  const attn = 2 * q * c.dim + 2 * kv * c.dim, attnRows = q + 2 * kv + c.dim;
  const experts = c.family.moe?.experts ?? 1;
  const mlpMats = c.family.gated ? 3 : 2;
  const mlp = experts * mlpMats * H * c.dim, mlpRows = experts * ((mlpMats - 1) * H + c.dim);
  const router = c.family.moe ? c.family.moe.experts * c.dim : 0;
  return { weights: c.nLayers * (attn + mlp), rows: c.nLayers * (attnRows + mlpRows), lmHead: c.vocabSize * c.dim + c.nLayers * router };
}

/** Bytes of kernel memory the FP32 model takes. */
export function fp32KernelBytes(c: LlamaConfig): number {
  const s = linearShape(c);
  return 4 * (s.weights + s.lmHead);
}

/** Bytes of kernel memory `spec`'s engine adds to the FP32 model's (0 when it shares the FP32 linears). */
export function specKernelBytes(c: LlamaConfig, spec: QuantSpec): number {
  const s = linearShape(c);
  if (spec.float || (!spec.weight && !spec.act && spec.method === "rtn")) return 0;
  if (!spec.weight) return 4 * s.weights;
  const groups = spec.weight.groupSize > 0 ? s.weights / spec.weight.groupSize : s.rows; // g-1: one per row
  return s.weights * (spec.weight.bits <= 4 ? 0.5 : 1) + 8 * groups;
}

/** Peak kernel bytes of a session: window-major keeps every engine, spec-major one spec at a time. */
export function sessionKernelBytes(c: LlamaConfig, specs: QuantSpec[], order: "window-major" | "spec-major"): number {
  const each = specs.map((s) => specKernelBytes(c, s));
  return fp32KernelBytes(c) + (order === "window-major" ? each.reduce((a, b) => a + b, 0) : each.reduce((a, b) => Math.max(a, b), 0));
}

/**
 * JavaScript bytes one window of S tokens takes while a float32 engine runs it (lib/model/forward.ts
 * and llama.ts): its KV cache (2 x layers x S x kv width), the forward's buffers (residual, normed
 * and attention inputs, q/k/v, the layer's keys and values, the MLP's two hidden blocks) and one
 * block of LOGIT_ROWS logits rows. What "activations of one window" means in issue 14's memory bound.
 */
export function windowActivationBytes(c: LlamaConfig, S: number, logitRows: number): number {
  const q = c.nHeads * c.headDim, kv = c.nKvHeads * c.headDim;
  const cache = 2 * c.nLayers * S * kv;
  const forward = S * (c.dim + Math.max(c.dim, q) + c.dim + q + 2 * kv + 2 * kv + 2 * c.hiddenDim);
  return 4 * (cache + forward + logitRows * c.vocabSize);
}
