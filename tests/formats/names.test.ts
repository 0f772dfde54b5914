import { describe, expect, it } from "vitest";
import { ggufToHf, layerOf, moduleOf } from "../../lib/formats/names.ts";

describe("names", () => {
  it("ggufToHf(name) maps llama.cpp names to Hugging Face Llama names", () => {
    const cases: [string, string][] = [
      ["token_embd.weight", "model.embed_tokens.weight"],
      ["output_norm.weight", "model.norm.weight"],
      ["output.weight", "lm_head.weight"],
      ["blk.0.attn_q.weight", "model.layers.0.self_attn.q_proj.weight"],
      ["blk.1.attn_k.weight", "model.layers.1.self_attn.k_proj.weight"],
      ["blk.2.attn_v.bias", "model.layers.2.self_attn.v_proj.bias"],
      ["blk.3.attn_output.weight", "model.layers.3.self_attn.o_proj.weight"],
      ["blk.10.ffn_gate.weight", "model.layers.10.mlp.gate_proj.weight"],
      ["blk.10.ffn_up.weight", "model.layers.10.mlp.up_proj.weight"],
      ["blk.10.ffn_down.weight", "model.layers.10.mlp.down_proj.weight"],
      ["blk.7.attn_norm.weight", "model.layers.7.input_layernorm.weight"],
      ["blk.7.ffn_norm.weight", "model.layers.7.post_attention_layernorm.weight"],
    ];
    for (const [gguf, hf] of cases) expect(ggufToHf(gguf)).toBe(hf);
  });

  it("ggufToHf(name) leaves other architectures' and unknown names unchanged", () => {
    for (const n of ["rope_freqs.weight", "blk.0.attn_qkv.weight", "blk.0.ffn_gate_exps.weight", "model.norm.weight", "x"]) {
      expect(ggufToHf(n)).toBe(n);
    }
  });

  it("layerOf(name) returns the block index or null", () => {
    expect(layerOf("model.layers.12.mlp.up_proj.weight")).toBe(12);
    expect(layerOf("blk.3.attn_q.weight")).toBe(3);
    expect(layerOf("model.embed_tokens.weight")).toBeNull();
    expect(layerOf("lm_head.weight")).toBeNull();
  });

  it("moduleOf(name) classifies Hugging Face and GGUF names", () => {
    const cases: [string, string][] = [
      ["model.embed_tokens.weight", "embed"], ["lm_head.weight", "lm_head"], ["model.norm.weight", "norm"],
      ["model.layers.0.self_attn.q_proj.weight", "q"], ["model.layers.0.self_attn.k_proj.weight", "k"],
      ["model.layers.0.self_attn.v_proj.weight", "v"], ["model.layers.0.self_attn.o_proj.weight", "o"],
      ["model.layers.0.mlp.gate_proj.weight", "gate"], ["model.layers.0.mlp.up_proj.weight", "up"],
      ["model.layers.0.mlp.down_proj.weight", "down"], ["model.layers.0.input_layernorm.weight", "norm"],
      ["model.layers.0.post_attention_layernorm.weight", "norm"], ["blk.0.ffn_down.weight", "down"],
      ["token_embd.weight", "embed"], ["output.weight", "lm_head"], ["rope_freqs.weight", "other"],
    ];
    for (const [n, kind] of cases) expect(moduleOf(n), n).toBe(kind);
  });

  it("moduleOf(name) classifies the arch-zoo families' tensors (fused, OPT, MoE, q/k norms)", () => {
    const cases: [string, string][] = [
      ["model.layers.0.self_attn.qkv_proj.weight", "qkv"], ["model.layers.0.mlp.gate_up_proj.weight", "gate_up"],
      ["model.decoder.embed_tokens.weight", "embed"], ["model.decoder.embed_positions.weight", "pos_embed"],
      ["model.decoder.layers.2.self_attn.out_proj.weight", "o"], ["model.decoder.layers.2.self_attn.out_proj.bias", "o"],
      ["model.decoder.layers.2.fc1.weight", "fc1"], ["model.decoder.layers.2.fc2.bias", "fc2"],
      ["model.decoder.layers.2.self_attn_layer_norm.weight", "norm"], ["model.decoder.layers.2.final_layer_norm.bias", "norm"],
      ["model.decoder.final_layer_norm.weight", "norm"],
      ["model.layers.1.self_attn.q_norm.weight", "q_norm"], ["model.layers.1.self_attn.k_norm.weight", "k_norm"],
      ["model.layers.1.pre_feedforward_layernorm.weight", "norm"], ["model.layers.1.post_feedforward_layernorm.weight", "norm"],
      ["model.layers.0.block_sparse_moe.gate.weight", "router"], ["model.layers.0.mlp.gate.weight", "router"],
      ["model.layers.0.block_sparse_moe.experts.3.w1.weight", "gate"], ["model.layers.0.block_sparse_moe.experts.3.w3.weight", "up"],
      ["model.layers.0.block_sparse_moe.experts.3.w2.weight", "down"], ["model.layers.0.mlp.experts.7.down_proj.weight", "down"],
      ["blk.0.ffn_gate_exps.weight", "gate"], ["blk.0.ffn_gate_inp.weight", "router"], ["blk.0.attn_qkv.weight", "qkv"],
      ["blk.0.attn_q_norm.weight", "q_norm"],
    ];
    for (const [n, kind] of cases) expect(moduleOf(n), n).toBe(kind);
    expect(layerOf("model.decoder.layers.2.fc1.weight")).toBe(2);
  });
});
