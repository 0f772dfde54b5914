/**
 * hfFamily(config.json): transformers 5's rope_parameters and transformers 4's top-level
 * rope_theta / rope_scaling / partial_rotary_factor / rope_local_base_freq read the same; options
 * the forward pass does not implement are refused naming the field.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { hfFamily } from "../../lib/model/family-config.ts";
import { fixture } from "../helpers/fixtures.ts";

type Json = Record<string, unknown>;
const FAMILIES = ["llama3", "mistral", "qwen2", "qwen3", "phi3", "opt", "gemma3", "mixtral"];

/** The same config as transformers 4 wrote it (the form most Hub checkpoints have). */
function asTransformers4(c: Json): Json {
  const { rope_parameters: rp, layer_types: _lt, ...rest } = c as { rope_parameters?: Json; layer_types?: unknown } & Json;
  if (!rp) return rest;
  if (rp.full_attention) {
    const full = rp.full_attention as Json, sliding = rp.sliding_attention as Json;
    return { ...rest, rope_theta: full.rope_theta, rope_local_base_freq: sliding.rope_theta, sliding_window_pattern: 6 };
  }
  const { rope_theta, partial_rotary_factor, rope_type, ...scaling } = rp;
  return {
    ...rest, rope_theta, ...(partial_rotary_factor !== undefined ? { partial_rotary_factor } : {}),
    rope_scaling: rope_type === "default" ? null : { rope_type, ...scaling },
    ...(Array.isArray(_lt) && c.model_type !== "gemma3_text" ? { layer_types: _lt } : {}),
  };
}

let zoo: string | null = null;
beforeAll(async () => {
  const cfg = await fixture("models/arch-zoo/llama3/config.json");
  zoo = cfg ? dirname(dirname(cfg)) : null;
});

const family = (c: Json) => hfFamily("m", c, String(c.model_type), Number(c.num_hidden_layers), Number(c.head_dim ?? Number(c.hidden_size) / Number(c.num_attention_heads)));

describe("hfFamily(file, config)", () => {
  it.each(FAMILIES)("reads %s's transformers 5 config and its transformers 4 form to the same family", (name) => {
    if (!zoo) return;
    const c = JSON.parse(readFileSync(join(zoo, name, "config.json"), "utf8")) as Json;
    expect(family(asTransformers4(c))).toEqual(family(c));
  });

  it("gives each zoo family its options (llama3 scaling, windows, Gemma's layer kinds and scale, MoE, OPT positions)", () => {
    if (!zoo) return;
    const f = (name: string) => family(JSON.parse(readFileSync(join(zoo!, name, "config.json"), "utf8")) as Json);
    expect(f("llama3").rope![0]!.scaling).toEqual({ type: "llama3", factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalMax: 64 });
    expect(f("mistral").window).toEqual([32, 32, 32]);
    expect(f("qwen2").window).toEqual([0, 0]);
    const g = f("gemma3");
    expect(g.window).toEqual([32, 32, 32, 32, 32, 0]);
    expect(g.rope!.map((r) => r.theta)).toEqual([1e4, 1e4, 1e4, 1e4, 1e4, 1e6]);
    expect([g.attnScale, g.embedScale, g.normPlusOne, g.sandwichNorms, g.qkNorm, g.act]).toEqual([1 / Math.sqrt(32), 8, true, true, true, "gelu_tanh"]);
    expect(f("mixtral").moe).toEqual({ experts: 4, topK: 2 });
    const o = f("opt");
    expect([o.rope, o.positionOffset, o.norm, o.gated, o.act]).toEqual([null, 2, "layernorm", false, "relu"]);
    expect(f("qwen3").qkNorm).toBe(true);
  });

  it("reads Gemma 2's soft-capping and partial rotary factors", () => {
    const base = { model_type: "gemma3_text", hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4, head_dim: 16, attn_logit_softcapping: 50, final_logit_softcapping: 30, rope_theta: 1e4, sliding_window: 512 };
    const f = family(base);
    expect([f.attnSoftcap, f.finalSoftcap]).toEqual([50, 30]);
    expect(family({ model_type: "phi3", hidden_size: 64, num_hidden_layers: 1, num_attention_heads: 4, partial_rotary_factor: 0.5 }).rope![0]!.rotaryDim).toBe(8);
  });

  for (const [what, extra, field] of [
    ["longrope (Phi-3 128k)", { rope_scaling: { rope_type: "longrope", factor: 4 } }, "rope_scaling.rope_type"],
    ["an odd number of rotary dims", { partial_rotary_factor: 0.2 }, "rope_scaling.partial_rotary_factor"],
    ["a Gemma 3 rope_parameters without the layer kind", { model_type: "gemma3_text", sliding_window: 512, rope_parameters: { full_attention: { rope_theta: 1e6 } } }, "rope_parameters"],
    ["a Gemma 3 sliding layer without sliding_window", { model_type: "gemma3_text" }, "sliding_window"],
    ["a sliding window that is not a length", { model_type: "mistral", sliding_window: "x" }, "sliding_window"],
    ["layer_types of the wrong length", { layer_types: ["full_attention"] }, "layer_types"],
    ["OPT without final layer norm", { model_type: "opt", _remove_final_layer_norm: true }, "_remove_final_layer_norm"],
    ["OPT with project_in/out", { model_type: "opt", word_embed_proj_dim: 32 }, "word_embed_proj_dim"],
  ] as const) {
    it(`refuses ${what} naming config.json ${field}`, () => {
      const c = { model_type: "llama", hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4, ...extra } as Json;
      expect(() => family(c)).toThrow(new RegExp(`^m: config\\.json ${field.replace(/\./g, "\\.")}: `));
    });
  }
});
