/** memory-plan's estimates against the bytes the gemm kernel's heap really hands out for the same engines. */
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { fp32KernelBytes, sessionKernelBytes, specKernelBytes, windowActivationBytes } from "../../lib/eval/memory-plan.ts";
import type { LlamaConfig } from "../../lib/model/config.ts";
import { openModel } from "../../lib/formats/open.ts";
import { nodeRuntime } from "../../lib/formats/open-node.ts";
import { kernelLinears } from "../../lib/model/kernel-linear.ts";
import { buildModel, loadLlama } from "../../lib/model/llama.ts";
import { quantizeModel } from "../../lib/model/quantize.ts";
import { parseSpec, parseSpecList } from "../../lib/quant/spec.ts";
import { fixture } from "../helpers/fixtures.ts";

/** the kernel pads rows to its tile and block layout (gemm-layout.ts): an estimate within 10% is enough to choose an order */
const MAX_ESTIMATE_REL_ERROR = 0.1;

describe("sessionKernelBytes(config, specs, order)", () => {
  it("estimates the kernel bytes of the FP32 model and of W8, W4-g64 and W8A8 engines of the arch-zoo Llama 3 within 10%", async (ctx) => {
    const cfg = await fixture("models/arch-zoo/llama3/config.json");
    if (!cfg) return ctx.skip();
    const source = await openModel(dirname(cfg), { runtime: nodeRuntime });
    const { config, weights } = await loadLlama(source);
    await source.close();
    const k = await kernelLinears();
    try {
      buildModel(config, weights, k.f32);
      const fp = k.kernel.heap.used;
      expect(Math.abs(fp32KernelBytes(config) / fp - 1)).toBeLessThan(MAX_ESTIMATE_REL_ERROR);
      for (const text of ["W8", "W4-g64", "W8A8"]) {
        const before = k.kernel.heap.used, spec = parseSpec(text);
        quantizeModel(config, weights, spec, { f32: k.f32, packed: k.packed });
        const got = k.kernel.heap.used - before;
        // lm_head stays float32 in every quantized model: a second f32 lm_head beside the packed linears
        const want = specKernelBytes(config, spec) + 4 * config.vocabSize * config.dim;
        expect(Math.abs(want / got - 1), text).toBeLessThan(MAX_ESTIMATE_REL_ERROR);
      }
    } finally {
      await k.close();
    }
  });

  it("counts nothing for float and KV-only specs, and window-major as the sum where spec-major takes the largest", () => {
    const c = { dim: 64, hiddenDim: 128, nLayers: 2, nHeads: 4, nKvHeads: 4, headDim: 16, vocabSize: 100, family: { gated: true, moe: null } } as never;
    const specs = parseSpecList("FP32,KV4,W8,W4");
    expect(specKernelBytes(c, specs[0]!)).toBe(0);
    expect(specKernelBytes(c, specs[1]!)).toBe(0);
    const [w8, w4] = [specKernelBytes(c, specs[2]!), specKernelBytes(c, specs[3]!)];
    expect(w8).toBeGreaterThan(w4);
    expect(sessionKernelBytes(c, specs, "window-major")).toBe(fp32KernelBytes(c) + w8 + w4);
    expect(sessionKernelBytes(c, specs, "spec-major")).toBe(fp32KernelBytes(c) + w8);
  });
});

describe("windowActivationBytes(config, S, logitRows)", () => {
  it("counts a 110M Llama's window of 512 (KV cache, forward buffers, one logits block) by hand", () => {
    const c = { nHeads: 12, nKvHeads: 12, headDim: 64, nLayers: 12, dim: 768, hiddenDim: 2048, vocabSize: 32000 } as LlamaConfig;
    // cache 2 x 12 x 512 x 768; forward 512 x (768 x 4 + 768 x 4 + 2048 x 2); logits 32 x 32000; 4 bytes each
    const want = 4 * (2 * 12 * 512 * 768 + 512 * (768 * 8 + 4096) + 32 * 32000);
    expect(windowActivationBytes(c, 512, 32)).toBe(want);
    expect(want / 2 ** 20).toBeCloseTo(59.9, 1);
  });

  it("sizes GQA's cache by the KV heads (TinyLlama: 4 of 32)", () => {
    const c = { nHeads: 32, nKvHeads: 4, headDim: 64, nLayers: 22, dim: 2048, hiddenDim: 5632, vocabSize: 32000 } as LlamaConfig;
    const kv = 256, q = 2048;
    expect(windowActivationBytes(c, 2048, 32)).toBe(4 * (2 * 22 * 2048 * kv + 2048 * (2048 + q + 2048 + q + 4 * kv + 2 * 5632) + 32 * 32000));
  });
});
