/**
 * The four forms of stories260K (llama2.c .bin, GGUF, Hugging Face safetensors folder,
 * ONNX with external data) hold the same weights, so `quantlens stats --json` must give
 * the same statistics per tensor name. The HF form has q/k rows permuted for rotate-half
 * RoPE; per-tensor statistics do not depend on row order.
 */
import { execFile } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../lib/cli/main.ts";
import { captureEffects } from "../helpers/capture.ts";
import { fixture } from "../helpers/fixtures.ts";

/**
 * Same float32 values, stored in another order (ONNX keeps linear weights transposed,
 * the HF form permutes q/k rows), so block partial sums round differently. The kernels
 * sum 2^-24-rounded f32 partials over short blocks into float64: std, kurtosis and the
 * extremes agree to 1e-6 relative, and the mean (near 0 for weights) to 1e-7 of the std.
 */
const MAX_CROSS_FORM_REL_ERROR = 1e-6;
const MAX_CROSS_FORM_MEAN_ERROR_IN_STD = 1e-7;
const LLAMA_NAMES = 1 + 5 * 9 + 1 + 1; // embed, 5 layers x 9, final norm, lm_head
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

type Row = Record<string, unknown> & { name: string };
const FORMS = {
  bin: "models/stories260K.bin",
  gguf: "models/stories260K.gguf",
  hf: "models/stories260K-hf/model.safetensors",
  onnx: "models/stories260K-onnx/model.onnx",
} as const;

async function statsJson(path: string): Promise<Map<string, Row>> {
  const fx = captureEffects();
  const code = await main(["stats", path, "--json"], fx);
  expect(code, fx.stderr()).toBe(0);
  const rows = JSON.parse(fx.stdout()) as Row[];
  return new Map(rows.map((r) => [r.name, r]));
}

function close(a: unknown, b: unknown): boolean {
  if (a === null || b === null) return a === b;
  const x = a as number;
  const y = b as number;
  return Math.abs(x - y) <= MAX_CROSS_FORM_REL_ERROR * Math.max(Math.abs(x), Math.abs(y), 1e-30);
}

describe("quantlens stats on the four forms of stories260K", () => {
  const paths: Partial<Record<keyof typeof FORMS, string>> = {};
  beforeAll(async () => {
    for (const [k, rel] of Object.entries(FORMS)) {
      const p = await fixture(rel);
      if (p) paths[k as keyof typeof FORMS] = k === "hf" || k === "onnx" ? (k === "hf" ? dirname(p) : p) : p;
    }
  });

  it("prints the CONTRACT keys as JSON numbers for every tensor of the .bin", async (ctx) => {
    if (!paths.bin) return ctx.skip();
    const rows = await statsJson(paths.bin);
    expect(rows.size).toBeGreaterThanOrEqual(LLAMA_NAMES);
    const q = rows.get("model.layers.0.self_attn.q_proj.weight")!;
    expect(q.shape).toEqual([64, 64]);
    for (const key of ["numel", "absmax", "mean", "std", "kurtosis", "min", "max", "nan_count", "inf_count"]) {
      expect(typeof q[key], key).toBe("number");
    }
    expect(q.dtype).toBe("F32");
    expect(q.numel).toBe(4096);
  });

  for (const other of ["gguf", "hf", "onnx"] as const) {
    it(`gives the same statistics per tensor name for the .bin and the ${other} form`, async (ctx) => {
      if (!paths.bin || !paths[other]) return ctx.skip();
      const [a, b] = [await statsJson(paths.bin), await statsJson(paths[other]!)];
      const shared = [...a.keys()].filter((n) => b.has(n));
      expect(shared.length).toBeGreaterThanOrEqual(LLAMA_NAMES);
      for (const name of shared) {
        const [x, y] = [a.get(name)!, b.get(name)!];
        expect(y.numel, name).toBe(x.numel);
        expect(y.shape, `${name} shape`).toEqual(x.shape); // ONNX's [in, out] weights reported as [out, in]
        // input channels are the same columns in every form (HF permutes only q/k rows)
        expect(y.top_input_channels, `${name} top input channels`).toEqual(x.top_input_channels);
        for (const key of ["absmax", "std", "kurtosis", "min", "max"]) {
          expect(close(x[key], y[key]), `${name} ${key}: ${x[key]} vs ${y[key]}`).toBe(true);
        }
        const meanError = Math.abs((x.mean as number) - (y.mean as number));
        expect(meanError, `${name} mean`).toBeLessThanOrEqual(MAX_CROSS_FORM_MEAN_ERROR_IN_STD * (x.std as number));
        // min/max/absmax are exact values of the same float32 data whatever the order
        for (const key of ["absmax", "min", "max"]) expect(y[key], `${name} ${key}`).toBe(x[key]);
        expect([y.nan_count, y.inf_count]).toEqual([x.nan_count, x.inf_count]);
      }
    });
  }

  it("runs as the installed bin (npx quantlens) and exits non-zero with one line on a missing file", async (ctx) => {
    if (!paths.bin) return ctx.skip();
    const run = promisify(execFile);
    const bin = join(ROOT, "bin/quantlens.mjs");
    const { stdout } = await run(process.execPath, [bin, "stats", paths.bin, "--json", "--tensor", "model.norm.weight"]);
    const rows = JSON.parse(stdout) as Row[];
    expect(rows.map((r) => r.name)).toEqual(["model.norm.weight"]);
    const failed = await run(process.execPath, [bin, "inspect", "/nonexistent.gguf"]).catch((e) => e);
    expect(failed.code).toBe(1);
    expect(String(failed.stderr).trim().split("\n")).toHaveLength(1);
  });
});
