/**
 * The sparse MoE MLP (Mixtral's block_sparse_moe, transformers' MixtralSparseMoeBlock): a float
 * router scores the experts per token, each token goes through its top-k SwiGLU experts, and their
 * outputs are summed with the renormalised router probabilities.
 */
import type { ForwardHooks, LlamaLayer, LlamaModel } from "./forward.ts";
import { glu, routeTopK } from "./ops.ts";

/**
 * out[M, dim] = sum over each token's top-k experts e of weight_e * down_e(act(gate_e x) * up_e x):
 * the router (kept in float) scores the experts per token (routeTopK), then each expert runs once
 * on the rows routed to it (gathered, then scattered back weighted).
 */
export function sparseMoe(model: LlamaModel, L: LlamaLayer, l: number, xb: Float32Array, M: number, out: Float32Array, hooks?: ForwardHooks): void {
  const c = model.config, { dim, hiddenDim } = c, { experts: E, topK } = c.family.moe!;
  const logits = new Float32Array(M * E);
  L.router!.forward(xb, M, logits);
  const chosen = new Int32Array(M * topK), weight = new Float32Array(M * topK);
  for (let m = 0; m < M; m++) routeTopK(logits.subarray(m * E, (m + 1) * E), topK, chosen.subarray(m * topK), weight.subarray(m * topK));
  out.fill(0, 0, M * dim);
  for (let e = 0; e < E; e++) {
    const rows: number[] = [], w: number[] = [];
    for (let i = 0; i < M * topK; i++) if (chosen[i] === e) { rows.push((i / topK) | 0); w.push(weight[i]!); }
    if (rows.length === 0) continue;
    const n = rows.length, X = L.experts![e]!;
    const xe = new Float32Array(n * dim), g = new Float32Array(n * hiddenDim), u = new Float32Array(n * hiddenDim), y = new Float32Array(n * dim);
    rows.forEach((m, r) => xe.set(xb.subarray(m * dim, (m + 1) * dim), r * dim));
    hooks?.linearInput?.(l, `ffn.${e}`, xe, n);
    X.gate.forward(xe, n, g);
    X.up.forward(xe, n, u);
    glu(c.family.act, g, u, n * hiddenDim);
    hooks?.linearInput?.(l, `down.${e}`, g, n);
    X.down.forward(g, n, y);
    rows.forEach((m, r) => { for (let i = 0; i < dim; i++) out[m * dim + i] = out[m * dim + i]! + w[r]! * y[r * dim + i]!; });
  }
}
