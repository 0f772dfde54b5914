/** The issue's done-when command on every arch-zoo family, against transformers' reference.json. */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../lib/cli/main.ts";
import { captureEffects } from "../helpers/capture.ts";
import { fixture } from "../helpers/fixtures.ts";

/** the tolerances: FP32 mean NLL within 1e-4; W8/W4/W3 NLL within 0.5% and KL within 5% of the reference */
const MAX_FP32_NLL_DIFF = 1e-4;
const MAX_NLL_REL_DIFF = 0.005;
const MAX_KL_REL_DIFF = 0.05;

let zoo: string | null = null, text: string | null = null;
beforeAll(async () => {
  const cfg = await fixture("models/arch-zoo/opt/config.json");
  zoo = cfg ? dirname(dirname(cfg)) : null;
  text = await fixture("corpora/tinyshakespeare_eval.txt");
});

describe("quantlens eval <arch-zoo family> --spec FP32,W8,W4,W3,W8A8,KV4 --context 128 --json", () => {
  for (const family of ["llama3", "mistral", "qwen2", "qwen3", "phi3", "opt", "gemma3", "mixtral"]) {
    it(`matches ${family}'s reference.json rows`, async (ctx) => {
      if (!zoo || !text) return ctx.skip();
      const dir = join(zoo, family);
      const fx = captureEffects();
      const code = await main(["eval", dir, "--text", text, "--spec", "FP32,W8,W4,W3,W8A8,KV4", "--context", "128", "--json"], fx);
      expect(code, fx.stderr()).toBe(0);
      const got = JSON.parse(fx.stdout()) as Record<string, { mean_nll: number; kl: number; tokens: number }>;
      const ref = (JSON.parse(readFileSync(join(dir, "reference.json"), "utf8")) as { eval: Record<string, { mean_nll: number; kl: number }> & { tokens: number } }).eval;
      expect(Object.keys(got)).toEqual(["FP32", "W8", "W4", "W3", "W8A8", "KV4"]);
      expect(got.FP32!.tokens).toBe(ref.tokens);
      expect(Math.abs(got.FP32!.mean_nll - ref.FP32!.mean_nll)).toBeLessThan(MAX_FP32_NLL_DIFF);
      for (const s of ["W8", "W4", "W3"]) {
        expect(Math.abs(got[s]!.mean_nll / ref[s]!.mean_nll - 1), `${s} NLL`).toBeLessThan(MAX_NLL_REL_DIFF);
        expect(Math.abs(got[s]!.kl / ref[s]!.kl - 1), `${s} KL`).toBeLessThan(MAX_KL_REL_DIFF);
      }
      // activations and the KV cache cost something, but far less than W3
      for (const s of ["W8A8", "KV4"]) expect(got[s]!.kl).toBeLessThan(got.W3!.kl);
    });
  }
});
