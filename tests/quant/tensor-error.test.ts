/** tensorQuantErrors: streamed per-tensor quantization error equals the whole-matrix figure in every file form. */
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../lib/cli/main.ts";
import { openModel } from "../../lib/formats/open.ts";
import { nodeRuntime } from "../../lib/formats/open-node.ts";
import { matrixQuantError } from "../../lib/quant/error.ts";
import { parseSpecList } from "../../lib/quant/spec.ts";
import { tensorQuantErrors } from "../../lib/quant/tensor-error.ts";
import { captureEffects } from "../helpers/capture.ts";
import { fixture } from "../helpers/fixtures.ts";
import { tensorF32, transpose } from "../helpers/read-tensor.ts";

/** the same groups summed in a different order (per chunk vs whole matrix) */
const MAX_STREAMED_REL_ERROR = 1e-12;
const SPECS = parseSpecList("W8,W4,W3-g32,W2-g-1-sym");

describe("tensorQuantErrors(source, t, specs)", () => {
  it("equals matrixQuantError on the whole decoded weight, with chunks that end mid-row, for the .bin and ONNX forms", async (ctx) => {
    const [bin, onnx] = await Promise.all([fixture("models/stories260K.bin"), fixture("models/stories260K-onnx/model.onnx")]);
    if (!bin) return ctx.skip();
    for (const path of [bin, onnx]) {
      if (!path) continue;
      const source = await openModel(path, { runtime: nodeRuntime });
      try {
        const t = source.tensors.find((x) => x.name === "model.layers.2.mlp.down_proj.weight")!;
        const got = await tensorQuantErrors(source, t, SPECS, 1000); // 250 floats: never a whole row of 172
        let w = await tensorF32(source, t);
        if (t.layout === "in_out") w = transpose(w, t.shape[0]!, t.shape[1]!);
        for (const s of SPECS) {
          const want = matrixQuantError(w, 64, 172, s.weight!);
          expect(Math.abs(got.get(s.text)!.relMse! - want.relMse!) / want.relMse!, `${path} ${s.text}`).toBeLessThan(MAX_STREAMED_REL_ERROR);
        }
      } finally {
        await source.close();
      }
    }
  });

  it("skips 1-D tensors and specs without a weight part", async (ctx) => {
    const bin = await fixture("models/stories260K.bin");
    if (!bin) return ctx.skip();
    const source = await openModel(bin, { runtime: nodeRuntime });
    const norm = source.tensors.find((x) => x.name === "model.norm.weight")!;
    expect((await tensorQuantErrors(source, norm, SPECS)).size).toBe(0);
    const q = source.tensors.find((x) => x.name === "model.layers.0.self_attn.q_proj.weight")!;
    expect([...(await tensorQuantErrors(source, q, parseSpecList("KV4,W4"))).keys()]).toEqual(["W4"]);
    await source.close();
  });

  it("quantlens stats --spec W8,W4 adds quant_error per 2-D tensor, and the HF folder agrees with the .bin", async (ctx) => {
    const [bin, cfg] = await Promise.all([fixture("models/stories260K.bin"), fixture("models/stories260K-hf/config.json")]);
    if (!bin || !cfg) return ctx.skip();
    const run = async (m: string) => {
      const fx = captureEffects();
      expect(await main(["stats", m, "--json", "--spec", "W8,W4", "--tensor", "model.layers.1.*"], fx), fx.stderr()).toBe(0);
      return new Map((JSON.parse(fx.stdout()) as Array<{ name: string; quant_error: Record<string, { sqnr_db: number }> | null }>).map((r) => [r.name, r.quant_error]));
    };
    const a = await run(bin), b = await run(dirname(cfg));
    expect(a.get("model.layers.1.input_layernorm.weight")).toBeNull();
    const up = a.get("model.layers.1.mlp.up_proj.weight")!;
    expect(up.W8!.sqnr_db).toBeGreaterThan(up.W4!.sqnr_db + 20); // ~6 dB per bit
    // q/k rows are permuted in the HF form: groups along the input dimension are unchanged
    for (const [name, e] of a) if (e) expect(Math.abs(b.get(name)!.W4!.sqnr_db - e.W4!.sqnr_db), name).toBeLessThan(1e-9);
    const bad = captureEffects();
    expect(await main(["stats", bin, "--spec", "W4A8"], bad)).toBe(2);
  });
});
