/**
 * Llama models from files, and the LogitsEngine the evaluator drives: each window runs from an
 * empty cache as one batched forward (prefill), logits are produced LOGIT_ROWS rows at a time.
 */
import type { TensorSource } from "../formats/types.ts";
import type { LogitsEngine } from "./engine.ts";
import { llamaConfig, type LlamaConfig } from "./config.ts";
import { forward, withRope, type ForwardHooks, type LlamaLayer, type LlamaModel } from "./forward.ts";
import { KvCache, type KvQuant } from "./kv-cache.ts";
import { jsLinear, type LinearFactory } from "./linear.ts";
import { layerLinears, routerName, type LinearRef } from "./linears.ts";
import { softcap } from "./ops.ts";
import { loadLlamaWeights, type LayerWeights, type LlamaWeights } from "./weights.ts";

/** rows of logits computed per lm_head call: bounds memory at LOGIT_ROWS x vocab floats */
export const LOGIT_ROWS = 32;

/** an emptied weight: what `release` leaves in LlamaWeights once a Linear holds the values */
const RELEASED = new Float32Array(0);

/**
 * A LlamaModel over `weights`, each linear built by `make` (lm_head and the MoE router always float32
 * through `head`). With `release`, each layer's linear weights (and an untied lm_head) are dropped from
 * `w` as soon as its Linears are built: a kernel Linear holds its own copy (in wasm memory), so the
 * JavaScript copy goes layer by layer and the peak stays near one copy of the weights (issue 14).
 * `collect` (a garbage collection, where the runtime offers one) runs after each layer is dropped:
 * V8 frees an ArrayBuffer only at a collection, and wasm memory growth does not trigger one.
 * `layers`: layers already built while the weights streamed in (loadLlama's onLayer), used as they are.
 * A tied embedding whose lm_head can read its rows back (a kernel Linear) is looked up there
 * (embedFromHead) and, with `release`, dropped from `w` too.
 */
export function buildModel(
  config: LlamaConfig, w: LlamaWeights, make: LinearFactory, head: LinearFactory = make,
  opts: { release?: boolean; collect?: () => void; layers?: LlamaLayer[] } = {},
): LlamaModel {
  const layers = w.layers.map((L, l) => {
    const prebuilt = opts.layers?.[l];
    if (prebuilt) return prebuilt;
    const layer = buildLayer(config, L, l, make, head);
    if (opts.release) { releaseLayer(L); opts.collect?.(); }
    return layer;
  });
  const lmHead = head("lm_head.weight", w.lmHead, config.vocabSize, config.dim);
  const embedFromHead = w.lmHead === w.embed && lmHead.row !== undefined;
  const model: LlamaModel = {
    config,
    embed: embedFromHead ? RELEASED : w.embed,
    ...(embedFromHead ? { embedFromHead } : {}),
    ...(w.positions ? { positions: w.positions } : {}),
    layers,
    finalNorm: w.finalNorm,
    ...(w.finalNormBias ? { finalNormBias: w.finalNormBias } : {}),
    lmHead,
    rope: withRope(config),
  };
  if (opts.release && embedFromHead) w.embed = w.lmHead = RELEASED;
  else if (opts.release && w.lmHead !== w.embed) w.lmHead = RELEASED;
  return model;
}

/** Layer `l` of a LlamaModel from its weights, each linear built by `make` (the MoE router by `head`). */
export function buildLayer(config: LlamaConfig, L: LayerWeights, l: number, make: LinearFactory, head: LinearFactory = make): LlamaLayer {
  const mk = (r: LinearRef) => make(r.name, r.w, r.rows, r.cols);
  const lin = Object.fromEntries(layerLinears(config, L, l).filter((r) => r.expert === undefined).map((r) => [r.kind, mk(r)]));
  const { wq: _q, wk: _k, wv: _v, wo: _o, gate: _g, up: _u, down: _d, router, experts, ...rest } = L;
  const layer: LlamaLayer = { ...rest, q: lin.q!, k: lin.k!, v: lin.v!, o: lin.o!, ...(lin.gate ? { gate: lin.gate } : {}), ...(lin.up ? { up: lin.up, down: lin.down! } : {}) };
  if (router && experts) {
    layer.router = head(routerName(config, l), router, experts.length, config.dim);
    const refs = layerLinears(config, L, l);
    layer.experts = experts.map((_, e) => {
      const get = (kind: string) => mk(refs.find((r) => r.expert === e && r.kind === kind)!);
      return { gate: get("gate"), up: get("up"), down: get("down") };
    });
  }
  return layer;
}

/** Frees every Linear of `layer` (kernel memory). */
export function disposeLayer(L: LlamaLayer): void {
  for (const lin of [L.q, L.k, L.v, L.o, L.gate, L.up, L.down, L.router, ...(L.experts ?? []).flatMap((x) => [x.gate, x.up, x.down])]) lin?.dispose?.();
}

/** Drops every linear weight (and untied lm_head) from `w`, once Linears hold them; embeddings, norms and biases stay. */
export function releaseLinearWeights(w: LlamaWeights): void {
  w.layers.forEach(releaseLayer);
  if (w.lmHead !== w.embed) w.lmHead = RELEASED;
}

/** Drops a layer's linear weights (and router) from its LayerWeights; norms and biases stay (the forward pass reads them). */
export function releaseLayer(L: LayerWeights): void {
  L.wq = L.wk = L.wv = L.wo = RELEASED;
  if (L.gate) L.gate = RELEASED;
  if (L.up) L.up = RELEASED;
  if (L.down) L.down = RELEASED;
  if (L.router) L.router = RELEASED;
  if (L.experts) L.experts = L.experts.map(() => ({ gate: RELEASED, up: RELEASED, down: RELEASED }));
}

/** Config and float32 weights of a Llama-family model file. */
export async function loadLlama(source: TensorSource, onTensor?: (done: number, total: number) => void): Promise<{ config: LlamaConfig; weights: LlamaWeights }> {
  const config = await llamaConfig(source);
  return { config, weights: await loadLlamaWeights(source, config, onTensor) };
}

export interface EngineOptions {
  name: string;
  /** KV cache quantization (null: float32) */
  kv?: KvQuant | null;
  hooks?: ForwardHooks;
}

/** The evaluator's view of a LlamaModel. */
export function llamaEngine(model: LlamaModel, opts: EngineOptions): LogitsEngine {
  const c = model.config;
  return {
    name: opts.name,
    vocabSize: c.vocabSize,
    contextLength: c.contextLength,
    async *window(tokens: Int32Array, signal?: AbortSignal) {
      if (tokens.length > c.contextLength) throw new RangeError(`${opts.name}: window of ${tokens.length} tokens exceeds the context length ${c.contextLength}`);
      signal?.throwIfAborted();
      // the window's KV cache is not held past its forward: the evaluator zips many engines' windows
      const hidden = forward(model, new KvCache(c.nLayers, tokens.length, c.nKvHeads, c.headDim, opts.kv ?? null), tokens, 0, opts.hooks);
      const logits = new Float32Array(LOGIT_ROWS * c.vocabSize);
      for (let r0 = 0; r0 < tokens.length; r0 += LOGIT_ROWS) {
        signal?.throwIfAborted();
        const rows = Math.min(LOGIT_ROWS, tokens.length - r0);
        model.lmHead.forward(hidden.subarray(r0 * c.dim, (r0 + rows) * c.dim), rows, logits);
        if (c.family.finalSoftcap !== null) softcap(logits, c.family.finalSoftcap, rows * c.vocabSize);
        for (let r = 0; r < rows; r++) yield logits.subarray(r * c.vocabSize, (r + 1) * c.vocabSize);
      }
    },
    async close() {
      model.layers.forEach(disposeLayer);
      model.lmHead.dispose?.();
    },
  };
}

/** Greedy (argmax) continuation of `prompt` for `steps` tokens, one decode step at a time through the cache. */
export function greedy(model: LlamaModel, prompt: number[], steps: number, kv: KvQuant | null = null): number[] {
  const c = model.config;
  const cache = new KvCache(c.nLayers, Math.min(c.contextLength, prompt.length + steps), c.nKvHeads, c.headDim, kv);
  const logits = new Float32Array(c.vocabSize);
  let hidden = forward(model, cache, Int32Array.from(prompt), 0);
  const out: number[] = [];
  for (let s = 0; s < steps; s++) {
    model.lmHead.forward(hidden.subarray(hidden.length - c.dim), 1, logits);
    if (c.family.finalSoftcap !== null) softcap(logits, c.family.finalSoftcap);
    let best = 0;
    for (let i = 1; i < c.vocabSize; i++) if (logits[i]! > logits[best]!) best = i;
    out.push(best);
    if (s + 1 < steps) hidden = forward(model, cache, Int32Array.of(best), prompt.length + s);
  }
  return out;
}

export { jsLinear };
