/** The layer x module heatmap of the arch-zoo families: every linear and norm lands in a column of its own kind. */
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openModel } from "../../lib/formats/open.ts";
import { nodeRuntime } from "../../lib/formats/open-node.ts";
import { isQuantizedLinear } from "../../lib/quant/whatif.ts";
import { layerModuleGrid } from "../../lib/viz/heatmap.ts";
import { fixture } from "../helpers/fixtures.ts";

const MODULES: Record<string, string[]> = {
  llama3: ["q", "k", "v", "o", "gate", "up", "down", "norm"],
  qwen3: ["q", "k", "v", "o", "gate", "up", "down", "norm"],
  phi3: ["qkv", "o", "gate_up", "down", "norm"],
  opt: ["q", "k", "v", "o", "fc1", "fc2", "norm"],
  mixtral: ["q", "k", "v", "o", "router", "gate", "up", "down", "norm"],
};

let zoo: string | null = null;
beforeAll(async () => {
  const cfg = await fixture("models/arch-zoo/opt/config.json");
  zoo = cfg ? dirname(dirname(cfg)) : null;
});

describe("layerModuleGrid on the arch-zoo", () => {
  for (const [family, modules] of Object.entries(MODULES)) {
    it(`gives ${family} the columns ${modules.join(", ")} on every layer, and quantizes its linears but not the router or lm_head`, async (ctx) => {
      if (!zoo) return ctx.skip();
      const source = await openModel(join(zoo, family), { runtime: nodeRuntime });
      try {
        const grid = layerModuleGrid(source.tensors, () => 1);
        expect(grid.modules).toEqual(modules);
        for (const m of modules) expect(grid.cells.filter((c) => c.module === m).length, m).toBe(grid.layers.length);
        const quantized = source.tensors.filter(isQuantizedLinear).map((t) => t.name);
        expect(quantized.some((n) => /router|block_sparse_moe\.gate\.|lm_head|embed/.test(n))).toBe(false);
        const perLayer = { llama3: 7, qwen3: 7, phi3: 4, opt: 6, mixtral: 4 + 3 * 4 }[family]!;
        expect(quantized.length).toBe(perLayer * grid.layers.length);
      } finally {
        await source.close();
      }
    });
  }
});
