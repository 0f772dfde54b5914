/**
 * GGUF files of Qwen2 and Qwen3 as llama.cpp's convert_hf_to_gguf.py writes them (qwen2.* / qwen3.*
 * metadata, blk.N names, q/k rows left in Hugging Face order for NEOX RoPE, biases and q/k norms
 * as their own tensors), built here from the arch-zoo safetensors: the same logits as transformers.
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
import { buildGguf, kvF32, kvStr, kvU32, type KV } from "../helpers/gguf-writer.ts";
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
  const tensors = [];
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

let zoo: string | null = null;
beforeAll(async () => {
  const cfg = await fixture("models/arch-zoo/qwen2/config.json");
  zoo = cfg ? dirname(dirname(cfg)) : null;
});

describe("GGUF qwen2 / qwen3 (llama.cpp's layout)", () => {
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

  it("refuses another GGUF architecture, RoPE scaling and MoE by key", async () => {
    const src = (kvs: KV[]) => openGguf(memorySource(buildGguf({ kvs: [kvU32("x.block_count", 1), ...kvs] }), "m.gguf"));
    await expect(llamaConfig(await src([kvStr("general.architecture", "gemma2")]))).rejects.toThrow(/^m\.gguf: general\.architecture: "gemma2"/);
    await expect(llamaConfig(await src([kvStr("general.architecture", "qwen2"), kvStr("qwen2.rope.scaling.type", "yarn")]))).rejects.toThrow(/^m\.gguf: qwen2\.rope\.scaling\.type: "yarn"/);
    await expect(llamaConfig(await src([kvStr("general.architecture", "llama"), kvU32("llama.expert_count", 8)]))).rejects.toThrow(/^m\.gguf: llama\.expert_count: 8 experts/);
  });
});
