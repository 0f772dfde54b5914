/**
 * The family options of the forward pass, one small function each (lib/model/family.ts says which
 * a model uses; forward.ts calls an option only when the model has it). Row-major [M, n] buffers.
 */
import type { Activation, NormKind } from "./family.ts";

/** out[m] = w * x[m] / sqrt(mean(x[m]^2) + eps), row by row (float64 sum of squares). */
export function rmsnorm(out: Float32Array, x: Float32Array, w: Float32Array, M: number, dim: number, eps: number): void {
  for (let m = 0; m < M; m++) {
    const o = m * dim;
    let ss = 0;
    for (let i = 0; i < dim; i++) ss += x[o + i]! * x[o + i]!;
    const r = 1 / Math.sqrt(ss / dim + eps);
    for (let i = 0; i < dim; i++) out[o + i] = w[i]! * (r * x[o + i]!);
  }
}

/** out[m] = (x[m] - mean) / sqrt(var + eps) * w + b (population variance; torch.nn.LayerNorm, OPT). */
export function layerNorm(out: Float32Array, x: Float32Array, w: Float32Array, b: Float32Array, M: number, dim: number, eps: number): void {
  for (let m = 0; m < M; m++) {
    const o = m * dim;
    let mean = 0;
    for (let i = 0; i < dim; i++) mean += x[o + i]!;
    mean /= dim;
    let v = 0;
    for (let i = 0; i < dim; i++) { const d = x[o + i]! - mean; v += d * d; }
    const r = 1 / Math.sqrt(v / dim + eps);
    for (let i = 0; i < dim; i++) out[o + i] = (x[o + i]! - mean) * r * w[i]! + b[i]!;
  }
}

/** The family's norm: LayerNorm with bias `b`, or RMSNorm. */
export function norm(kind: NormKind, out: Float32Array, x: Float32Array, w: Float32Array, b: Float32Array | undefined, M: number, dim: number, eps: number): void {
  if (kind === "layernorm") layerNorm(out, x, w, b!, M, dim, eps);
  else rmsnorm(out, x, w, M, dim, eps);
}

/** y[m, :] += b (a linear's bias). */
export function addBias(y: Float32Array, b: Float32Array, M: number): void {
  const n = b.length;
  for (let m = 0; m < M; m++) for (let i = 0, o = m * n; i < n; i++) y[o + i] = y[o + i]! + b[i]!;
}

/** a += b over the first n values (the residual add). */
export function addInto(a: Float32Array, b: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) a[i] = a[i]! + b[i]!;
}

/** transformers' gelu_pytorch_tanh: 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))). */
export function geluTanh(x: number): number {
  return 0.5 * x * (1 + Math.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)));
}

/** Gated MLP input in place: g[i] = act(g[i]) * u[i] (SwiGLU with silu, GeGLU with gelu_tanh). */
export function glu(act: Activation, g: Float32Array, u: Float32Array, n: number): void {
  if (act === "silu") for (let i = 0; i < n; i++) { const v = g[i]!; g[i] = (v / (1 + Math.exp(-v))) * u[i]!; }
  else if (act === "gelu_tanh") for (let i = 0; i < n; i++) g[i] = geluTanh(g[i]!) * u[i]!;
  else for (let i = 0; i < n; i++) g[i] = activate(act, g[i]!) * u[i]!;
}

/** Ungated MLP activation in place (OPT: fc1 -> relu -> fc2). */
export function activateAll(act: Activation, x: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) x[i] = activate(act, x[i]!);
}

function activate(act: Activation, v: number): number {
  if (act === "relu") return v > 0 ? v : 0;
  if (act === "silu") return v / (1 + Math.exp(-v));
  return geluTanh(v);
}

/** Gemma 2 soft-capping: x = cap * tanh(x / cap), in place. */
export function softcap(x: Float32Array, cap: number, n = x.length): void {
  for (let i = 0; i < n; i++) x[i] = cap * Math.tanh(x[i]! / cap);
}

/**
 * Mixtral's router for one token: softmax over the expert logits (float32 in transformers),
 * the top `k` experts, their probabilities renormalised to sum 1. Writes experts and weights.
 */
export function routeTopK(logits: Float32Array, k: number, experts: Int32Array, weights: Float32Array): void {
  const n = logits.length;
  let max = -Infinity;
  for (let e = 0; e < n; e++) if (logits[e]! > max) max = logits[e]!;
  const p = new Float64Array(n);
  let sum = 0;
  for (let e = 0; e < n; e++) { p[e] = Math.exp(logits[e]! - max); sum += p[e]!; }
  let kept = 0;
  for (let j = 0; j < k; j++) {
    let best = -1;
    for (let e = 0; e < n; e++) if (p[e]! >= 0 && (best < 0 || p[e]! > p[best]!)) best = e;
    experts[j] = best;
    weights[j] = p[best]! / sum;
    kept += weights[j]!;
    p[best] = -1; // taken
  }
  for (let j = 0; j < k; j++) weights[j] = weights[j]! / kept;
}
