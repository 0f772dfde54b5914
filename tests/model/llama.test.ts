/** The FP32 Llama forward pass on stories260K in all its file forms, against the fixtures' README. */
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { openModelNode } from "../../lib/formats/open-node.ts";
import { buildModel, greedy, jsLinear, loadLlama } from "../../lib/model/llama.ts";
import { fixture } from "../helpers/fixtures.ts";

// ../shared/models/README.md: first 20 greedy ids from BOS
const GREEDY_20 = [403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426, 338, 401, 396, 267, 337];
const FORMS = ["models/stories260K.bin", "models/stories260K.gguf", "models/stories260K-hf/config.json", "models/stories260K-onnx/model.onnx"];

/** The path openModelNode takes for a fixture form (the folder for the Hugging Face layout), or null. */
async function formPath(rel: string): Promise<string | null> {
  const p = await fixture(rel);
  return p && rel.endsWith("config.json") ? dirname(p) : p;
}

describe("stories260K greedy decoding", () => {
  for (const form of FORMS) {
    it(`greedy(model from ${form}, [BOS], 20) gives the README's ids`, async (ctx) => {
      const path = await formPath(form);
      if (!path) return ctx.skip();
      const source = await openModelNode(path);
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
