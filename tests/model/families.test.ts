/**
 * The eight arch-zoo families (../shared/models/arch-zoo: tiny trained models of the real
 * transformers classes) against transformers' own outputs in each folder's reference.json:
 * logits at every probe position, 20 greedy tokens, tokenization of every eval document and its
 * windows at S = 128, W4/W3 logits on the integer kernels, folds that keep the function, and every
 * config key either read or known harmless.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openModel } from "../../lib/formats/open.ts";
import { nodeRuntime } from "../../lib/formats/open-node.ts";
import { openTokenizerPath } from "../../lib/tokenizers/open-node.ts";
import { documentWindows, splitDocuments } from "../../lib/model/protocol.ts";
import { unknownKeys } from "../../lib/model/family-config.ts";
import { KvCache } from "../../lib/model/kv-cache.ts";
import { forward, type LlamaModel } from "../../lib/model/forward.ts";
import { buildModel, greedy, jsLinear, loadLlama } from "../../lib/model/llama.ts";
import { kernelLinears } from "../../lib/model/kernel-linear.ts";
import { quantizeModel } from "../../lib/model/quantize.ts";
import { calibrate } from "../../lib/model/calibrate.ts";
import { foldAwq, foldSmoothquant } from "../../lib/model/fold.ts";
import { cloneLayer } from "../../lib/model/methods.ts";
import { parseSpec } from "../../lib/quant/spec.ts";
import { fixture } from "../helpers/fixtures.ts";

export const FAMILIES = ["llama3", "mistral", "qwen2", "qwen3", "phi3", "opt", "gemma3", "mixtral"] as const;
/** the issue's bar: float32 logits within 1e-4 of transformers' float64 logits (its own f32 noise is 4e-6..1.6e-5) */
const MAX_LOGIT_ABS_DIFF = 1e-4;
const CONTEXT = 128;
/**
 * W4/W3 logits of our integer kernels (packed codes, float activations) against transformers'
 * pseudo-quantized float32 model: the same codes (RTN in float32 with the same rounding), so only
 * float summation order differs, as for FP32; a code off by one would move logits by far more.
 */
const MAX_QUANT_LOGIT_ABS_DIFF = 1e-4;
/** as tests/model/quantize.test.ts: integer (int8 activations x packed codes) vs pseudo-quantized float, same codes, summation order only */
const MAX_INT_VS_PSEUDO_LOGIT_ERROR = 2e-3;
/** folding keeps the function; float32 rounding of the rescaled weights moves logits a little (as tests/model/quantize.test.ts) */
const MAX_FOLD_LOGIT_ERROR = 2e-4;

interface Reference {
  logits_probe: Array<{ input_ids: number[]; positions: number[]; logits_f64: number[][] }>;
  greedy: { prompt_ids: number[]; new_ids: number[] };
  pseudo_quant_probe: Record<"W4" | "W3", { input_ids: number[]; positions: number[]; logits_f32_as_f64: number[][] }>;
  quantized_tensors: Record<string, { shape: number[]; group: number }>;
  eval: { tokens: number; windows: number; FP32: { mean_nll: number }; windows_detail: Array<{ doc: number; start: number; n_inputs: number }> };
}

/** Max |a - b| over the row. */
const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => { let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!)); return m; };

/** Logits rows of `ids` at `positions` (one prefill, float32 kernels as the CLI runs them). */
export function probeLogits(model: LlamaModel, ids: number[], positions: number[]): Float32Array[] {
  const c = model.config;
  const hidden = forward(model, new KvCache(c.nLayers, ids.length, c.nKvHeads, c.headDim), Int32Array.from(ids), 0);
  return positions.map((p) => {
    const out = new Float32Array(c.vocabSize);
    model.lmHead.forward(hidden.subarray(p * c.dim, (p + 1) * c.dim), 1, out);
    return out;
  });
}

let zoo: string | null = null, text: string | null = null;
beforeAll(async () => {
  const cfg = await fixture("models/arch-zoo/llama3/config.json");
  zoo = cfg ? dirname(dirname(cfg)) : null;
  text = await fixture("corpora/tinyshakespeare_eval.txt");
});

describe.each(FAMILIES)("arch-zoo %s against transformers' reference.json", (family) => {
  const load = async () => {
    const dir = join(zoo!, family);
    const ref = JSON.parse(readFileSync(join(dir, "reference.json"), "utf8")) as Reference;
    const source = await openModel(dir, { runtime: nodeRuntime });
    const { config, weights } = await loadLlama(source).finally(() => source.close());
    return { dir, ref, config, weights, model: buildModel(config, weights, jsLinear) };
  };

  it("reads every config.json key or knows it is harmless", (ctx) => {
    if (!zoo) return ctx.skip();
    expect(unknownKeys(JSON.parse(readFileSync(join(zoo, family, "config.json"), "utf8")) as Record<string, unknown>)).toEqual([]);
  });

  it("gives the reference logits at every probe position and its 20 greedy tokens", async (ctx) => {
    if (!zoo) return ctx.skip();
    const { ref, model } = await load();
    for (const probe of ref.logits_probe) {
      const rows = probeLogits(model, probe.input_ids, probe.positions);
      rows.forEach((row, i) => expect(maxAbs(row, probe.logits_f64[i]!), `${family} probe of ${probe.input_ids.length}, position ${probe.positions[i]}`).toBeLessThan(MAX_LOGIT_ABS_DIFF));
    }
    expect(greedy(model, ref.greedy.prompt_ids, ref.greedy.new_ids.length)).toEqual(ref.greedy.new_ids);
  });

  it("quantizes exactly the reference's tensors (fused parts, every expert; not the router, norms, embeddings, lm_head) and gives its W4/W3 logits on the integer kernels", async (ctx) => {
    if (!zoo) return ctx.skip();
    const dir = join(zoo, family);
    const ref = JSON.parse(readFileSync(join(dir, "reference.json"), "utf8")) as Reference;
    const source = await openModel(dir, { runtime: nodeRuntime });
    const { config, weights } = await loadLlama(source).finally(() => source.close());
    const linears = await kernelLinears();
    try {
      for (const bits of ["W4", "W3"] as const) {
        const q = quantizeModel(config, weights, parseSpec(bits), { f32: linears.f32, packed: linears.packed });
        expect(q.backend).toBe("integer");
        // fused parts (`qkv_proj.weight:q`) are quantized along rows: the fused tensor's groups
        const names = [...new Set([...q.matrices.keys()].map((n) => n.replace(/:\w+$/, "")))].sort();
        expect(names).toEqual(Object.keys(ref.quantized_tensors).sort());
        for (const [name, m] of q.matrices) expect(m.groupSize, name).toBe(ref.quantized_tensors[name.replace(/:\w+$/, "")]!.group);
        const probe = ref.pseudo_quant_probe[bits];
        probeLogits(q.model, probe.input_ids, probe.positions).forEach((row, i) =>
          expect(maxAbs(row, probe.logits_f32_as_f64[i]!), `${family} ${bits} position ${probe.positions[i]}`).toBeLessThan(MAX_QUANT_LOGIT_ABS_DIFF));
      }
    } finally {
      await linears.close();
    }
  });

  it("runs W8A8 and W4A8 (every linear, experts included) on the integer kernels with the pseudo-quantized logits", async (ctx) => {
    if (!zoo) return ctx.skip();
    const { ref, config, weights } = await load();
    const probe = ref.logits_probe[0]!;
    const linears = await kernelLinears();
    try {
      for (const spec of ["W8A8", "W4A8"]) {
        const int = quantizeModel(config, weights, parseSpec(spec), { f32: linears.f32, packed: linears.packed });
        const pseudo = quantizeModel(config, weights, parseSpec(spec), { f32: jsLinear });
        expect([int.backend, pseudo.backend]).toEqual(["integer", "pseudo"]);
        const a = probeLogits(int.model, probe.input_ids, probe.positions), b = probeLogits(pseudo.model, probe.input_ids, probe.positions);
        a.forEach((row, i) => expect(maxAbs(row, b[i]!), `${family} ${spec}`).toBeLessThan(MAX_INT_VS_PSEUDO_LOGIT_ERROR));
      }
    } finally {
      await linears.close();
    }
  });

  it("folds SmoothQuant and AWQ scales (LayerNorm biases, v/fc1 rows, the MoE router) without changing the FP32 logits", async (ctx) => {
    if (!zoo) return ctx.skip();
    const { ref, config, model } = await load();
    const probe = ref.logits_probe.at(-1)!;
    const cal = calibrate(model, [Int32Array.from(probe.input_ids)]);
    const want = probeLogits(model, probe.input_ids, probe.positions);
    const site = (l: number, s: string) => cal.sites.get(`${l}.${s}`);
    const weights = (await load()).weights;
    for (const method of ["smoothquant", "awq"] as const) {
      const w = { ...weights, layers: weights.layers.map(cloneLayer) };
      w.layers.forEach((L, l) => {
        if (method === "smoothquant") foldSmoothquant(config, L, site(l, "attn")!, site(l, "ffn")!);
        else foldAwq(config, L, (s) => site(l, s), { bits: 3, groupSize: 128, clip: false });
      });
      const got = probeLogits(buildModel(config, w, jsLinear), probe.input_ids, probe.positions);
      got.forEach((row, i) => expect(maxAbs(row, want[i]!), `${family} ${method}`).toBeLessThan(MAX_FOLD_LOGIT_ERROR));
      // the folds did rescale something (AWQ may keep a site's scales at 1)
      expect(Math.max(...w.layers.map((L, l) => maxAbs(L.attnNorm, weights.layers[l]!.attnNorm) + maxAbs(L.ffnNorm, weights.layers[l]!.ffnNorm))), `${family} ${method}`).toBeGreaterThan(1e-4);
    }
  });

  it("tokenizes the eval documents to transformers' ids, into its 128-token windows (the FP32 NLL: tests/cli/eval-families.test.ts)", async (ctx) => {
    if (!zoo || !text) return ctx.skip();
    const { dir, ref, model } = await load();
    const tok = await openTokenizerPath(dir, { vocabSize: model.config.vocabSize });
    const docs = splitDocuments(readFileSync(text, "utf8")).map((d) => tok.encode(d, { bos: true }));
    // ids: the probes are BOS + the first 127 tokens of document 0; the README's example; every document's length
    const longest = ref.logits_probe.at(-1)!.input_ids;
    expect([...docs[0]!.subarray(0, longest.length)]).toEqual(longest);
    expect([...tok.encode("BAPTISTA:\nA thousand thanks", { bos: true })]).toEqual([1, 37, 36, 51, 55, 44, 54, 55, 36, 29, 202, 36, 347, 86, 394, 260, 412, 78, 86]);
    const perDoc = docs.map((_, i) => ref.eval.windows_detail.filter((w) => w.doc === i).reduce((s, w) => s + w.n_inputs, 0));
    expect(docs.map((d) => d.length - 1)).toEqual(perDoc);
    const windows = docs.flatMap((d, doc) => documentWindows(d, CONTEXT).map((w) => ({ doc, start: w.input.byteOffset / 4 - d.byteOffset / 4, n_inputs: w.input.length })));
    expect(windows).toEqual(ref.eval.windows_detail.map(({ doc, start, n_inputs }) => ({ doc, start, n_inputs })));
  });
});
