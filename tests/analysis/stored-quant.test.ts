/**
 * lib/analysis/stored-quant.ts on the llama.cpp-quantized fixtures (../shared/models/gguf-quants):
 * a Q4_K_M GGUF holds 16 Q4_K tensors and 5 F32 norms, its baseline is "dequantized Q4_K", and the
 * Q4_K bytes equal the ggml block layout (144 bytes per 256 weights) over the reference numels;
 * the F32 source has no stored quantization.
 */
import { readFileSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { openModel } from "../../lib/formats/open.ts";
import { nodeRuntime } from "../../lib/formats/open-node.ts";
import { summarize } from "../../lib/formats/summary.ts";
import { baselineLabel, storedQuantTypes } from "../../lib/analysis/stored-quant.ts";
import { fixture } from "../helpers/fixtures.ts";

/** llama.cpp's Q4_K block: 256 weights in 144 bytes (ggml-common.h block_q4_K) */
const Q4_K_BLOCK = { elements: 256, bytes: 144 };

describe("already-quantized files", () => {
  it("a Q4_K_M GGUF: Q4_K with its tensors and bytes, baseline dequantized Q4_K, tensor data below the file size", async (ctx) => {
    const path = await fixture("models/gguf-quants/synth-llama-Q4_K_M.gguf");
    if (!path) return ctx.skip();
    const ref = JSON.parse(readFileSync(path.replace(/\.gguf$/, ".stats.json"), "utf8")) as { tensors: Record<string, { ggml_type: string; numel: number }> };
    const q4k = Object.values(ref.tensors).filter((t) => t.ggml_type === "Q4_K");
    const source = await openModel(path, { runtime: nodeRuntime });
    try {
      const model = summarize(source);
      expect(storedQuantTypes(model)).toEqual([{
        dtype: "Q4_K", tensors: q4k.length, params: q4k.reduce((n, t) => n + t.numel, 0),
        bytes: q4k.reduce((n, t) => n + (t.numel / Q4_K_BLOCK.elements) * Q4_K_BLOCK.bytes, 0),
      }]);
      expect(q4k).toHaveLength(16);
      expect(baselineLabel(model)).toBe("dequantized Q4_K");
      expect(model.bytes).toBeLessThanOrEqual(statSync(path).size);
    } finally {
      await source.close();
    }
  });

  it("the F32 source holds no stored quantization", async (ctx) => {
    const path = await fixture("models/gguf-quants/synth-llama-f32.gguf");
    if (!path) return ctx.skip();
    const source = await openModel(path, { runtime: nodeRuntime });
    try {
      expect(storedQuantTypes(summarize(source))).toEqual([]);
      expect(baselineLabel(summarize(source))).toBeNull();
    } finally {
      await source.close();
    }
  });
});
