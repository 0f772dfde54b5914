/**
 * The quantized Llama paths on stories260K: the integer kernels compute the pseudo-quantized
 * function (Qllm-Eval's definition), folding keeps the FP32 function, the KV cache stores exactly
 * what lib/quant's KV quantizer computes, and lm_head stays in float.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { tokenizeDocuments } from "../../lib/eval/session.ts";
import { parseLlama2cTokenizer } from "../../lib/tokenizers/llama2c.ts";
import { openModel } from "../../lib/formats/open.ts";
import { nodeRuntime } from "../../lib/formats/open-node.ts";
import { calibrate } from "../../lib/model/calibrate.ts";
import type { LlamaConfig } from "../../lib/model/config.ts";
import { foldAwq, foldSmoothquant } from "../../lib/model/fold.ts";
import { forward } from "../../lib/model/forward.ts";
import { kernelLinears, type KernelLinears } from "../../lib/model/kernel-linear.ts";
import { KvCache } from "../../lib/model/kv-cache.ts";
import { buildModel, jsLinear, LOGIT_ROWS, loadLlama } from "../../lib/model/llama.ts";
import { quantizeModel } from "../../lib/model/quantize.ts";
import type { LlamaWeights } from "../../lib/model/weights.ts";
import { pseudoQuantizeKv } from "../../lib/quant/rtn.ts";
import { parseSpec } from "../../lib/quant/spec.ts";
import { fixture } from "../helpers/fixtures.ts";
import { mulberry32 } from "../../lib/tensor/prng.ts";

/**
 * Integer vs pseudo-quantized logits: same codes and scales, only float summation order differs
 * (f32 group partial sums vs float64 JS dot products); logits are O(10).
 */
const MAX_INT_VS_PSEUDO_LOGIT_ERROR = 2e-3;
/** Folding rescales weights in f32 (one rounding per product): logits move by f32 noise only */
const MAX_FOLD_LOGIT_ERROR = 2e-4;

let config: LlamaConfig, weights: LlamaWeights, window: Int32Array, calib: Int32Array[], linears: KernelLinears;

/** Logits [rows, vocab] of the first `rows` positions of `tokens`. */
function logits(model: ReturnType<typeof buildModel>, tokens: Int32Array, kv: { bits: number; groupSize: number } | null = null): Float32Array {
  const c = model.config;
  const cache = new KvCache(c.nLayers, tokens.length, c.nKvHeads, c.headDim, kv);
  const hidden = forward(model, cache, tokens, 0);
  const rows = Math.min(tokens.length, LOGIT_ROWS);
  const out = new Float32Array(rows * c.vocabSize);
  model.lmHead.forward(hidden.subarray(0, rows * c.dim), rows, out);
  return out;
}

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

beforeAll(async () => {
  const [model, tok, text, sample] = await Promise.all([fixture("models/stories260K.bin"), fixture("models/tok512.bin"),
    fixture("corpora/tinystories_valid_excerpt.txt"), fixture("corpora/tinystories_sample.txt")]);
  if (!model || !tok || !text || !sample) return;
  const source = await openModel(model, { runtime: nodeRuntime });
  ({ config, weights } = await loadLlama(source));
  await source.close();
  const tokenizer = parseLlama2cTokenizer(readFileSync(tok), tok, 512);
  window = tokenizeDocuments(tokenizer, readFileSync(text, "utf8"))[0]!.subarray(0, 64);
  calib = tokenizeDocuments(tokenizer, readFileSync(sample, "utf8")).slice(0, 2); // ~700 tokens: enough to exercise every site
  linears = await kernelLinears();
});

describe("quantizeModel(config, weights, spec, { f32, packed })", () => {
  for (const text of ["W8A8", "W4A8", "W8", "W4-g32", "W3-g-1", "W4A4", "W8-sym"]) {
    it(`runs ${text} on the integer kernels with the pseudo-quantized logits`, (ctx) => {
      if (!config) return ctx.skip();
      const spec = parseSpec(text);
      const int = quantizeModel(config, weights, spec, { f32: linears.f32, packed: linears.packed });
      const pseudo = quantizeModel(config, weights, spec, { f32: jsLinear });
      expect(int.backend).toBe("integer");
      expect(pseudo.backend).toBe("pseudo");
      const a = logits(int.model, window), b = logits(pseudo.model, window);
      expect(maxAbsDiff(a, b)).toBeLessThan(MAX_INT_VS_PSEUDO_LOGIT_ERROR);
      // and quantization did change the function
      expect(maxAbsDiff(b, logits(buildModel(config, weights, jsLinear), window))).toBeGreaterThan(1e-3);
    });
  }

  it("quantizes the 35 linears of stories260K and never lm_head or the embedding", (ctx) => {
    if (!config) return ctx.skip();
    const q = quantizeModel(config, weights, parseSpec("W4"), { f32: jsLinear });
    expect(q.matrices.size).toBe(35);
    expect([...q.matrices.keys()].some((n) => n.includes("lm_head") || n.includes("embed"))).toBe(false);
  });

  it("leaves the weights untouched for KV-only specs and quantizes the cache", (ctx) => {
    if (!config) return ctx.skip();
    const q = quantizeModel(config, weights, parseSpec("KV4"), { f32: jsLinear });
    expect(q.matrices.size).toBe(0);
    expect(q.kv).toEqual({ bits: 4, groupSize: 128 });
  });
});

describe("KvCache", () => {
  for (const [bits, groupSize] of [[8, 128], [4, 128], [3, 128], [2, 128], [4, 4]] as const) {
    it(`stores ${bits}-bit codes (group ${groupSize}) that read back as pseudoQuantizeKv computes them`, () => {
      const heads = 3, headDim = 8, tokens = 5;
      const rand = mulberry32(bits * 100 + groupSize);
      const k = Float32Array.from({ length: tokens * heads * headDim }, () => (rand() - 0.5) * 4);
      const v = Float32Array.from(k, (x) => x * -0.7 + 0.1);
      const cache = new KvCache(2, tokens, heads, headDim, { bits, groupSize });
      cache.write(1, 0, 2, k.subarray(0, 2 * heads * headDim), v.subarray(0, 2 * heads * headDim));
      cache.write(1, 2, 3, k.subarray(2 * heads * headDim), v.subarray(2 * heads * headDim));
      const out = new Float32Array(k.length);
      expect(cache.read(1, 0, tokens, out)).toEqual(pseudoQuantizeKv(k, tokens, heads, headDim, bits, groupSize));
      expect(cache.read(1, 1, tokens, out)).toEqual(pseudoQuantizeKv(v, tokens, heads, headDim, bits, groupSize));
    });
  }
});

describe("folding scales into the preceding operator", () => {
  it("foldSmoothquant and foldAwq (no clip) keep the FP32 logits", (ctx) => {
    if (!config) return ctx.skip();
    const fp = buildModel(config, weights, jsLinear);
    const cal = calibrate(fp, calib);
    const clone = (): LlamaWeights => ({ ...weights, layers: weights.layers.map((L) => Object.fromEntries(Object.entries(L).map(([k, v]) => [k, v.slice()])) as never) });
    const sq = clone(), awq = clone();
    sq.layers.forEach((L, l) => foldSmoothquant(config, L, cal.sites.get(`${l}.attn`)!, cal.sites.get(`${l}.ffn`)!));
    awq.layers.forEach((L, l) => foldAwq(config, L, (s) => cal.sites.get(`${l}.${s}`)!, { bits: 3, groupSize: 128, clip: false }));
    const ref = logits(fp, window);
    expect(maxAbsDiff(logits(buildModel(config, sq, jsLinear), window), ref)).toBeLessThan(MAX_FOLD_LOGIT_ERROR);
    expect(maxAbsDiff(logits(buildModel(config, awq, jsLinear), window), ref)).toBeLessThan(MAX_FOLD_LOGIT_ERROR);
    // the folds did change the weights
    expect(maxAbsDiff(sq.layers[0]!.attnNorm, weights.layers[0]!.attnNorm)).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(awq.layers[0]!.down!, weights.layers[0]!.down!)).toBeGreaterThan(1e-4);
  });

  it("calibrate(model, documents) records every linear site of every layer and the KV absmax", (ctx) => {
    if (!config) return ctx.skip();
    const cal = calibrate(buildModel(config, weights, jsLinear), calib, { hessian: true });
    expect(cal.sites.size).toBe(5 * 4);
    const down = cal.sites.get("0.down")!;
    expect(down.cols).toBe(172);
    expect(down.tokens).toBe(cal.tokens);
    expect(down.hessian!.length).toBe(172 * 172);
    // H's diagonal is the sum of squares of each channel: bounded by tokens x absmax^2
    for (let j = 0; j < 172; j++) expect(down.hessian![j * 172 + j]!).toBeLessThanOrEqual(down.tokens * down.absmax[j]! ** 2 * (1 + 1e-9));
    expect(cal.kv[4]!.kAbsmax.length).toBe(32);
    expect(Math.max(...cal.kv[4]!.kAbsmax)).toBeGreaterThan(0);
  });
});
