/** memory-plan's estimates against the bytes the gemm kernel's heap really hands out for the same engines. */
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { fp32KernelBytes, sessionKernelBytes, specKernelBytes } from "../../lib/eval/memory-plan.ts";
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
