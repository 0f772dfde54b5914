/** The FP32 Llama forward pass on stories260K in all its file forms, against the fixtures' README. */
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { openModel } from "../../lib/formats/open.ts";
import { nodeRuntime } from "../../lib/formats/open-node.ts";
import { configFromHf } from "../../lib/formats/hf-config.ts";
import type { TensorSource } from "../../lib/formats/types.ts";
import { llamaConfig } from "../../lib/model/config.ts";
import type { LlamaModel } from "../../lib/model/forward.ts";
import { kernelLinears } from "../../lib/model/kernel-linear.ts";
import type { LinearFactory } from "../../lib/model/linear.ts";
import { buildModel, greedy, jsLinear, llamaEngine, loadLlama } from "../../lib/model/llama.ts";
import { fixture } from "../helpers/fixtures.ts";

// ../shared/models/README.md: first 20 greedy ids from BOS
const GREEDY_20 = [403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426, 338, 401, 396, 267, 337];
const FORMS = ["models/stories260K.bin", "models/stories260K.gguf", "models/stories260K-hf/config.json", "models/stories260K-onnx/model.onnx"];

/** The path openModel(…, nodeRuntime) takes for a fixture form (the folder for the Hugging Face layout), or null. */
async function formPath(rel: string): Promise<string | null> {
  const p = await fixture(rel);
  return p && rel.endsWith("config.json") ? dirname(p) : p;
}

describe("stories260K greedy decoding", () => {
  for (const form of FORMS) {
    it(`greedy(model from ${form}, [BOS], 20) gives the README's ids`, async (ctx) => {
      const path = await formPath(form);
      if (!path) return ctx.skip();
      const source = await openModel(path, { runtime: nodeRuntime });
      try {
        const { config, weights } = await loadLlama(source);
        expect([config.nHeads, config.nKvHeads, config.headDim, config.ropeTheta]).toEqual([8, 4, 8, 10000]);
        const model = buildModel(config, weights, jsLinear);
        expect(greedy(model, [1], 20)).toEqual(GREEDY_20);
      } finally {
        await source.close();
      }
    });
  }
});

describe("a tied embedding looked up in the lm_head's kernel copy", () => {
  it("stories260K on kernel linears drops its JavaScript embedding and gives the same logits bit for bit as with it", async (ctx) => {
    const path = await formPath("models/stories260K.bin");
    if (!path) return ctx.skip();
    const source = await openModel(path, { runtime: nodeRuntime });
    const k = await kernelLinears();
    try {
      const { config, weights } = await loadLlama(source);
      // the same kernel head without row(): the embedding is read from the JavaScript array
      const rowless: LinearFactory = (n, w, r, c) => { const lin = k.f32(n, w, r, c); return { rows: r, cols: c, forward: (x, M, out) => lin.forward(x, M, out), dispose: () => lin.dispose?.() }; };
      const withJs = buildModel(config, weights, k.f32, rowless);
      const fromHead = buildModel(config, weights, k.f32, k.f32, { release: true });
      expect([withJs.embedFromHead, withJs.embed.length]).toEqual([undefined, config.vocabSize * config.dim]);
      expect([fromHead.embedFromHead, fromHead.embed.length, weights.embed.length]).toEqual([true, 0, 0]);
      const tokens = Int32Array.from([1, 403, 407, 261, 378, 432, 383, 286, 511, 0]);
      const run = (m: LlamaModel) => { const e = llamaEngine(m, { name: "FP32" }); return (async () => { const rows: number[] = []; for await (const r of e.window(tokens)) rows.push(...r); return rows; })(); };
      expect(await run(fromHead)).toEqual(await run(withJs));
      expect(greedy(fromHead, [1], 20)).toEqual(GREEDY_20);
    } finally {
      await source.close();
      await k.close();
    }
  });
});

describe("llamaConfig(source) refuses options the forward pass does not implement, naming the config field", () => {
  const base = { architectures: ["LlamaForCausalLM"], model_type: "llama", hidden_size: 8, intermediate_size: 16, num_hidden_layers: 1, num_attention_heads: 2, num_key_value_heads: 2, vocab_size: 4 };
  const tensors = (extra: string[] = []) => ["model.embed_tokens.weight", ...extra].map((name) => ({ name, shape: [4, 8] }));
  for (const [what, cfg, format, extra, field] of [
    ["YaRN RoPE scaling (transformers 4 form)", { ...base, rope_scaling: { rope_type: "yarn", factor: 4 } }, "safetensors", [], "config.json rope_scaling.rope_type"],
    ["dynamic RoPE scaling (transformers 5 form)", { ...base, rope_parameters: { rope_type: "dynamic", factor: 2, rope_theta: 1e4 } }, "safetensors", [], "config.json rope_parameters.rope_type"],
    ["Gemma 1 (an unsupported model_type)", { ...base, model_type: "gemma" }, "safetensors", [], "config.json model_type"],
    ["bidirectional attention", { ...base, use_bidirectional_attention: true }, "safetensors", [], "config.json use_bidirectional_attention"],
    ["a quantization_config", { ...base, quantization_config: { quant_method: "awq" } }, "safetensors", [], "config.json quantization_config"],
    ["an activation it does not implement", { ...base, hidden_act: "gelu" }, "safetensors", [], "config.json hidden_act"],
    ["OPT with post-LayerNorm (OPT-350m)", { ...base, model_type: "opt", ffn_dim: 16, do_layer_norm_before: false }, "safetensors", [], "config.json do_layer_norm_before"],
    ["GGUF rope_freqs (Llama 3.1 in llama.cpp's form)", base, "gguf", ["rope_freqs.weight"], "rope_freqs.weight"],
    ["GGUF attention biases (Qwen2 in llama.cpp's form)", base, "gguf", ["model.layers.0.self_attn.q_proj.bias"], "model.layers.0.self_attn.q_proj.bias"],
  ] as const) {
    it(`names ${what} in a FormatError`, async () => {
      const source = { name: "m", format, config: configFromHf(cfg), metadata: format === "gguf" ? {} : { config: cfg }, tensors: tensors([...extra]) } as unknown as TensorSource;
      await expect(llamaConfig(source)).rejects.toThrow(new RegExp(`^m: ${field.replace(/\./g, "\\.")}: `));
    });
  }
});
