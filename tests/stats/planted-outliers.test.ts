/**
 * The synth-llama GGUF fixtures were generated with 3 input channels of every matrix
 * multiplied by 25 (../shared/models/gguf-quants/README.md, "Planted indices"): the
 * per-channel statistics must name exactly those channels, in F32 and after llama.cpp's
 * quantization.
 */
import { describe, expect, it } from "vitest";
import { openModel } from "../../lib/formats/open.ts";
import { nodeRuntime } from "../../lib/formats/open-node.ts";
import { computeTensorStats } from "../../lib/stats/index.ts";
import { fixture } from "../helpers/fixtures.ts";

const PLANTED: Record<string, number[]> = {
  "model.embed_tokens.weight": [57, 126, 190],
  "model.layers.0.self_attn.q_proj.weight": [25, 51, 74],
  "model.layers.0.self_attn.k_proj.weight": [97, 164, 248],
  "model.layers.0.self_attn.v_proj.weight": [63, 228, 252],
  "model.layers.0.self_attn.o_proj.weight": [13, 95, 254],
  "model.layers.0.mlp.gate_proj.weight": [50, 78, 190],
  "model.layers.0.mlp.up_proj.weight": [0, 14, 241],
  "model.layers.0.mlp.down_proj.weight": [205, 284, 588],
  "model.layers.1.self_attn.q_proj.weight": [123, 127, 235],
  "model.layers.1.self_attn.k_proj.weight": [10, 116, 254],
  "model.layers.1.self_attn.v_proj.weight": [44, 47, 254],
  "model.layers.1.self_attn.o_proj.weight": [26, 52, 88],
  "model.layers.1.mlp.gate_proj.weight": [190, 220, 235],
  "model.layers.1.mlp.up_proj.weight": [23, 176, 228],
  "model.layers.1.mlp.down_proj.weight": [402, 541, 622],
  "lm_head.weight": [139, 187, 240],
};

describe("per-channel absmax finds the planted outlier columns of synth-llama", () => {
  for (const file of ["synth-llama-f32.gguf", "synth-llama-Q8_0.gguf", "synth-llama-Q4_K_M.gguf"]) {
    it(`computeTensorStats(${file}) ranks the 3 planted input channels first in all 16 matrices`, async (ctx) => {
      const path = await fixture(`models/gguf-quants/${file}`);
      if (!path) return ctx.skip();
      const source = await openModel(path, { runtime: nodeRuntime });
      try {
        for (const [name, planted] of Object.entries(PLANTED)) {
          const t = source.tensors.find((x) => x.name === name)!;
          const s = await computeTensorStats(source, t);
          const top3 = s.channels!.cols.top.slice(0, 3).map(([c]) => c).sort((a, b) => a - b);
          expect(top3, name).toEqual(planted);
          // the outlier columns dominate: the 3rd planted column is well above the median column
          expect(s.channels!.cols.top[2]![1], name).toBeGreaterThan(5 * s.channels!.cols.median);
        }
      } finally {
        await source.close();
      }
    });
  }
});
