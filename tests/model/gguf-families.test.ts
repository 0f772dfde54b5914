/**
 * GGUF files of Qwen2, Qwen3, Phi-3 and Mixtral as llama.cpp's convert_hf_to_gguf.py writes them (qwen2.* /
 * qwen3.* metadata, blk.N names, q/k rows left in Hugging Face order for NEOX RoPE, biases and q/k
 * norms as their own tensors; Mixtral as `llama` with permuted q/k, a router and stacked experts),
 * built here from the arch-zoo safetensors: the same logits as transformers.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openGguf } from "../../lib/formats/gguf.ts";
import { openModel } from "../../lib/formats/open.ts";
import { nodeRuntime } from "../../lib/formats/open-node.ts";
import type { TensorSource } from "../../lib/formats/types.ts";
import { llamaConfig } from "../../lib/model/config.ts";
import { KvCache } from "../../lib/model/kv-cache.ts";
import { forward } from "../../lib/model/forward.ts";
import { buildModel, jsLinear, loadLlama } from "../../lib/model/llama.ts";
import { unpermuteHalf } from "../../lib/model/weights.ts";
import { buildGguf, kvF32, kvStr, kvU32, type KV, type TensorSpec } from "../helpers/gguf-writer.ts";
import { memorySource } from "../helpers/memory-source.ts";
import { fixture } from "../helpers/fixtures.ts";

/** as tests/model/families.test.ts: float32 logits within 1e-4 of transformers' float64 logits */
const MAX_LOGIT_ABS_DIFF = 1e-4;
const GGML_F32 = 0;

/** Hugging Face name -> llama.cpp name (gguf-py constants.py MODEL_TENSOR names). */
function ggufName(hf: string): string | null {
  const top: Record<string, string> = { "model.embed_tokens.weight": "token_embd.weight", "model.norm.weight": "output_norm.weight", "lm_head.weight": "output.weight" };
  if (top[hf]) return top[hf]!;
  const m = /^model\.layers\.(\d+)\.(.+)\.(weight|bias)$/.exec(hf);
  const block: Record<string, string> = {
    "self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k", "self_attn.v_proj": "attn_v", "self_attn.o_proj": "attn_output",
    "self_attn.q_norm": "attn_q_norm", "self_attn.k_norm": "attn_k_norm", "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up",
    "mlp.down_proj": "ffn_down", input_layernorm: "attn_norm", post_attention_layernorm: "ffn_norm",
  };
  return m && block[m[2]!] ? `blk.${m[1]}.${block[m[2]!]}.${m[3]}` : null;
}

/** The zoo model as a GGUF of float32 tensors (no tokenizer: the test feeds ids). */
async function toGguf(src: TensorSource, arch: string, cfg: Record<string, number> & { rope_parameters: { rope_theta: number } }): Promise<Uint8Array> {
  const tensors: TensorSpec[] = [];
  for (const t of src.tensors) {
    if (t.name === "lm_head.weight" && src.config.tiedEmbeddings) continue; // tied: no output.weight, as llama.cpp writes it
    const name = ggufName(t.name);
    if (!name) throw new Error(`no GGUF name for ${t.name}`);
    const parts: Uint8Array[] = [];
    for await (const c of src.readRaw(t)) parts.push(c.slice());
    const data = new Uint8Array(t.byteLength);
    let o = 0;
    for (const p of parts) { data.set(p, o); o += p.length; }
    tensors.push({ name, ne: [...t.shape].reverse(), type: GGML_F32, data });
  }
  const kvs: KV[] = [
    kvStr("general.architecture", arch), kvU32(`${arch}.block_count`, cfg.num_hidden_layers!), kvU32(`${arch}.context_length`, cfg.max_position_embeddings!),
    kvU32(`${arch}.embedding_length`, cfg.hidden_size!), kvU32(`${arch}.feed_forward_length`, cfg.intermediate_size!),
    kvU32(`${arch}.attention.head_count`, cfg.num_attention_heads!), kvU32(`${arch}.attention.head_count_kv`, cfg.num_key_value_heads!),
    kvF32(`${arch}.rope.freq_base`, cfg.rope_parameters.rope_theta), kvF32(`${arch}.attention.layer_norm_rms_epsilon`, cfg.rms_norm_eps!), kvU32(`${arch}.vocab_size`, cfg.vocab_size!),
    ...(cfg.head_dim ? [kvU32(`${arch}.attention.key_length`, cfg.head_dim), kvU32(`${arch}.attention.value_length`, cfg.head_dim)] : []),
  ];
  return buildGguf({ kvs, tensors });
}

/** Tensor bytes of `t`. */
async function bytesOf(src: TensorSource, t: TensorSource["tensors"][number]): Promise<Uint8Array> {
  const data = new Uint8Array(t.byteLength);
  let o = 0;
  for await (const c of src.readRaw(t)) { data.set(c, o); o += c.length; }
  return data;
}

/**
 * Mixtral as convert_hf_to_gguf.py writes it: architecture `llama`, q/k rows permuted for NORM
 * RoPE (LlamaModel.permute: per head, row s * hd/2 + j goes to 2j + s, the order lib/model reads),
 * the router as ffn_gate_inp, each layer's experts stacked into ffn_{gate,up,down}_exps [E, rows, cols].
 */
async function mixtralGguf(src: TensorSource, cfg: Record<string, number> & { rope_parameters: { rope_theta: number } }): Promise<Uint8Array> {
  const f32 = async (name: string) => new Float32Array((await bytesOf(src, src.tensors.find((t) => t.name === name)!)).buffer);
  const hd = cfg.hidden_size! / cfg.num_attention_heads!, E = cfg.num_local_experts!;
  const tensors: TensorSpec[] = [];
  const add = (name: string, shape: number[], w: Float32Array) => tensors.push({ name, ne: [...shape].reverse(), type: GGML_F32, data: new Uint8Array(w.buffer, w.byteOffset, w.byteLength) });
  for (const t of src.tensors) {
    const m = /^model\.layers\.(\d+)\.block_sparse_moe\.(gate|experts\.(\d+)\.(w\d))\.weight$/.exec(t.name);
    if (m && m[3] !== undefined) continue; // experts: stacked below
    if (m) { add(`blk.${m[1]}.ffn_gate_inp.weight`, t.shape, await f32(t.name)); continue; }
    let w = await f32(t.name);
    const qk = /self_attn\.(q|k)_proj\.weight$/.exec(t.name);
    if (qk) w = unpermuteHalf(w, t.shape[0]! / hd, hd, t.shape[1]!);
    add(ggufName(t.name)!, t.shape, w);
  }
  for (let l = 0; l < cfg.num_hidden_layers!; l++) {
    for (const [which, hf] of [["gate", "w1"], ["up", "w3"], ["down", "w2"]] as const) {
      const parts = await Promise.all(Array.from({ length: E }, (_, e) => f32(`model.layers.${l}.block_sparse_moe.experts.${e}.${hf}.weight`)));
      const stacked = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
      parts.forEach((p, e) => stacked.set(p, e * p.length));
      const [rows, cols] = which === "down" ? [cfg.hidden_size!, cfg.intermediate_size!] : [cfg.intermediate_size!, cfg.hidden_size!];
      add(`blk.${l}.ffn_${which}_exps.weight`, [E, rows, cols], stacked);
    }
  }
  const kvs: KV[] = [
    kvStr("general.architecture", "llama"), kvU32("llama.block_count", cfg.num_hidden_layers!), kvU32("llama.context_length", cfg.max_position_embeddings!),
    kvU32("llama.embedding_length", cfg.hidden_size!), kvU32("llama.feed_forward_length", cfg.intermediate_size!),
    kvU32("llama.attention.head_count", cfg.num_attention_heads!), kvU32("llama.attention.head_count_kv", cfg.num_key_value_heads!),
    kvF32("llama.rope.freq_base", cfg.rope_parameters.rope_theta), kvF32("llama.attention.layer_norm_rms_epsilon", cfg.rms_norm_eps!),
    kvU32("llama.vocab_size", cfg.vocab_size!), kvU32("llama.expert_count", E), kvU32("llama.expert_used_count", cfg.num_experts_per_tok!),
  ];
  return buildGguf({ kvs, tensors });
}

/** Phi-3 as convert_hf_to_gguf.py writes it: fused qkv_proj -> attn_qkv, gate_up_proj -> ffn_up, NEOX (rows as in Hugging Face). */
async function phi3Gguf(src: TensorSource, cfg: Record<string, number> & { rope_parameters: { rope_theta: number } }, extra: KV[] = []): Promise<Uint8Array> {
  const tensors: TensorSpec[] = [];
  for (const t of src.tensors) {
    const fused = /^model\.layers\.(\d+)\.(self_attn\.qkv_proj|mlp\.gate_up_proj)\.weight$/.exec(t.name);
    const name = fused ? `blk.${fused[1]}.${fused[2] === "self_attn.qkv_proj" ? "attn_qkv" : "ffn_up"}.weight` : ggufName(t.name)!;
    tensors.push({ name, ne: [...t.shape].reverse(), type: GGML_F32, data: await bytesOf(src, t) });
  }
  const hd = cfg.hidden_size! / cfg.num_attention_heads!;
  const kvs: KV[] = [
    kvStr("general.architecture", "phi3"), kvU32("phi3.block_count", cfg.num_hidden_layers!), kvU32("phi3.context_length", cfg.max_position_embeddings!),
    kvU32("phi3.embedding_length", cfg.hidden_size!), kvU32("phi3.feed_forward_length", cfg.intermediate_size!),
    kvU32("phi3.attention.head_count", cfg.num_attention_heads!), kvU32("phi3.attention.head_count_kv", cfg.num_key_value_heads!),
    kvF32("phi3.rope.freq_base", cfg.rope_parameters.rope_theta), kvF32("phi3.attention.layer_norm_rms_epsilon", cfg.rms_norm_eps!),
    kvU32("phi3.vocab_size", cfg.vocab_size!), kvU32("phi3.rope.dimension_count", hd), ...extra,
  ];
  return buildGguf({ kvs, tensors });
}

/** Logits of `model` at every probe position within MAX_LOGIT_ABS_DIFF of transformers'. */
function expectProbeLogits(model: ReturnType<typeof buildModel>, probes: Array<{ input_ids: number[]; positions: number[]; logits_f64: number[][] }>, label: string): void {
  const c = model.config;
  for (const probe of probes) {
    const hidden = forward(model, new KvCache(c.nLayers, probe.input_ids.length, c.nKvHeads, c.headDim), Int32Array.from(probe.input_ids), 0);
    probe.positions.forEach((p, i) => {
      const row = new Float32Array(c.vocabSize);
      model.lmHead.forward(hidden.subarray(p * c.dim, (p + 1) * c.dim), 1, row);
      const diff = row.reduce((m, v, j) => Math.max(m, Math.abs(v - probe.logits_f64[i]![j]!)), 0);
      expect(diff, `${label} probe ${probe.input_ids.length} position ${p}`).toBeLessThan(MAX_LOGIT_ABS_DIFF);
    });
  }
}

let zoo: string | null = null;
beforeAll(async () => {
  const cfg = await fixture("models/arch-zoo/qwen2/config.json");
  zoo = cfg ? dirname(dirname(cfg)) : null;
});

describe("GGUF qwen2 / qwen3 / phi3 / Mixtral (llama.cpp's layout)", () => {
  for (const arch of ["qwen2", "qwen3"]) {
    it(`${arch}.gguf gives transformers' logits at every probe position`, async (ctx) => {
      if (!zoo) return ctx.skip();
      const dir = join(zoo, arch);
      const cfg = JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as Record<string, number> & { rope_parameters: { rope_theta: number } };
      const ref = JSON.parse(readFileSync(join(dir, "reference.json"), "utf8")) as { logits_probe: Array<{ input_ids: number[]; positions: number[]; logits_f64: number[][] }> };
      const st = await openModel(dir, { runtime: nodeRuntime });
      const bytes = await toGguf(st, arch, cfg).finally(() => st.close());
      const source = await openGguf(memorySource(bytes, `${arch}.gguf`));
      const { config, weights } = await loadLlama(source);
      expect([config.ropeLayout, config.family.qkNorm, config.headDim]).toEqual(["half", arch === "qwen3", cfg.head_dim ?? 16]);
      const model = buildModel(config, weights, jsLinear);
      for (const probe of ref.logits_probe) {
        const c = model.config;
        const hidden = forward(model, new KvCache(c.nLayers, probe.input_ids.length, c.nKvHeads, c.headDim), Int32Array.from(probe.input_ids), 0);
        probe.positions.forEach((p, i) => {
          const row = new Float32Array(c.vocabSize);
          model.lmHead.forward(hidden.subarray(p * c.dim, (p + 1) * c.dim), 1, row);
          const diff = row.reduce((m, v, j) => Math.max(m, Math.abs(v - probe.logits_f64[i]![j]!)), 0);
          expect(diff, `${arch} probe ${probe.input_ids.length} position ${p}`).toBeLessThan(MAX_LOGIT_ABS_DIFF);
        });
      }
    });
  }

  it("mixtral.gguf (llama architecture, q/k rows permuted for NORM RoPE, router ffn_gate_inp, stacked ffn_*_exps) gives transformers' logits", async (ctx) => {
    if (!zoo) return ctx.skip();
    const dir = join(zoo, "mixtral");
    const cfg = JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as Record<string, number> & { rope_parameters: { rope_theta: number } };
    const ref = JSON.parse(readFileSync(join(dir, "reference.json"), "utf8")) as { logits_probe: Array<{ input_ids: number[]; positions: number[]; logits_f64: number[][] }> };
    const st = await openModel(dir, { runtime: nodeRuntime });
    const bytes = await mixtralGguf(st, cfg).finally(() => st.close());
    const source = await openGguf(memorySource(bytes, "mixtral.gguf"));
    const { config, weights } = await loadLlama(source);
    expect([config.ropeLayout, config.family.moe]).toEqual(["adjacent", { experts: 4, topK: 2 }]);
    expectProbeLogits(buildModel(config, weights, jsLinear), ref.logits_probe, "mixtral.gguf");
  });

  it("phi3.gguf (fused attn_qkv and ffn_up, NEOX RoPE) gives transformers' logits; attention.sliding_window windows every layer", async (ctx) => {
    if (!zoo) return ctx.skip();
    const dir = join(zoo, "phi3");
    const cfg = JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as Record<string, number> & { rope_parameters: { rope_theta: number } };
    const ref = JSON.parse(readFileSync(join(dir, "reference.json"), "utf8")) as { logits_probe: Array<{ input_ids: number[]; positions: number[]; logits_f64: number[][] }> };
    const st = await openModel(dir, { runtime: nodeRuntime });
    try {
      const { config, weights } = await loadLlama(await openGguf(memorySource(await phi3Gguf(st, cfg), "phi3.gguf")));
      expect([config.ropeLayout, config.family.rope![0]!.rotaryDim, config.family.window]).toEqual(["half", 16, [0, 0]]);
      expectProbeLogits(buildModel(config, weights, jsLinear), ref.logits_probe, "phi3.gguf");
      const windowed = await llamaConfig(await openGguf(memorySource(await phi3Gguf(st, cfg, [kvU32("phi3.attention.sliding_window", 2047)]), "phi3.gguf")));
      expect(windowed.family.window).toEqual([2047, 2047]);
    } finally {
      await st.close();
    }
  });

  it("refuses another GGUF architecture, RoPE scaling and MoE by key", async () => {
    const src = (kvs: KV[]) => openGguf(memorySource(buildGguf({ kvs: [kvU32("x.block_count", 1), ...kvs] }), "m.gguf"));
    await expect(llamaConfig(await src([kvStr("general.architecture", "gemma2")]))).rejects.toThrow(/^m\.gguf: general\.architecture: "gemma2"/);
    await expect(llamaConfig(await src([kvStr("general.architecture", "qwen2"), kvStr("qwen2.rope.scaling.type", "yarn")]))).rejects.toThrow(/^m\.gguf: qwen2\.rope\.scaling\.type: "yarn"/);
    await expect(llamaConfig(await src([kvStr("general.architecture", "llama"), kvU32("llama.expert_count", 8)]))).rejects.toThrow(/^m\.gguf: llama\.expert_used_count: /);
    await expect(llamaConfig(await src([kvStr("general.architecture", "qwen2"), kvU32("qwen2.expert_count", 8)]))).rejects.toThrow(/^m\.gguf: qwen2\.expert_count: /);
  });
});
