/**
 * Predicted sensitivity (worst-layer SQNR) against measured damage: on stories260K the order of
 * W8, W4, W3, W2 by predicted score equals the order by KL measured with quantlens' own eval.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../lib/cli/main.ts";
import { openModel } from "../../lib/formats/open.ts";
import { nodeRuntime } from "../../lib/formats/open-node.ts";
import { combineScores, predictSiteSpecs, predictWeightSpecs, rangeSqnrDb } from "../../lib/recommend/predicted.ts";
import { captureEffects } from "../helpers/capture.ts";
import { fixture } from "../helpers/fixtures.ts";

/** the closed form is exact arithmetic: compare to float rounding only */
const MAX_DB_ERROR = 1e-9;
/** stories in the eval excerpt used: enough tokens (about 800) to rank four bit widths, a few seconds per spec */
const STORIES = 4;

describe("predicted sensitivity", () => {
  it("rangeSqnrDb(b, sqrt 3) is 20 log10(2^b - 1): a full-scale uniform signal (hand value 48.13 dB at 8 bits)", () => {
    expect(Math.abs(rangeSqnrDb(8, Math.sqrt(3)) - 20 * Math.log10(255))).toBeLessThan(MAX_DB_ERROR);
    expect(rangeSqnrDb(8, Math.sqrt(3))).toBeCloseTo(48.13, 2);
    expect(rangeSqnrDb(4, 10)).toBeLessThan(rangeSqnrDb(8, 10));
  });

  it("predictSiteSpecs and combineScores: a combined spec scores its worst part; only RTN specs are scored", () => {
    const sites = [{ name: "model.layers.0.mlp.down_proj.input", absmax_over_std: 20 }, { name: "model.layers.0.self_attn.k_cache", absmax_over_std: 4 }];
    const act = predictSiteSpecs(sites, "act", [8]), kv = predictSiteSpecs(sites, "kv", [4]);
    expect(act[0]).toMatchObject({ spec: "A8", worst: "model.layers.0.mlp.down_proj.input", tensors: 1 });
    const w = [{ spec: "W4", worst_sqnr_db: 20, mean_sqnr_db: 21, worst: "w", tensors: 2 }];
    const combined = combineScores(["W4A8", "W4KV4", "W4-awq", "KV8"], [...w, ...act, ...kv]);
    expect(combined.map((c) => c.spec)).toEqual(["W4A8", "W4KV4"]);
    expect(combined[0]!.worst_sqnr_db).toBe(Math.min(20, act[0]!.worst_sqnr_db));
  });

  it("on stories260K, W8 > W4 > W3 > W2 by predicted worst-layer SQNR and by measured KL alike", async (ctx) => {
    const [bin, tok, text] = await Promise.all(["models/stories260K.bin", "models/tok512.bin", "corpora/tinystories_valid_excerpt.txt"].map((p) => fixture(p)));
    if (!bin || !tok || !text) return ctx.skip();
    const short = join(mkdtempSync(join(tmpdir(), "ql-pred-")), "stories.txt");
    writeFileSync(short, readFileSync(text, "utf8").split("<|endoftext|>").slice(0, STORIES).join("<|endoftext|>"));
    const fx = captureEffects();
    expect(await main(["eval", bin, "--tokenizer", tok, "--text", short, "--spec", "FP32,W8,W4,W3,W2", "--json"], fx), fx.stderr()).toBe(0);
    const measured = JSON.parse(fx.stdout()) as Record<string, { kl: number }>;
    const source = await openModel(bin, { runtime: nodeRuntime });
    const predicted = await predictWeightSpecs(source, [8, 4, 3, 2]).finally(() => source.close());
    const specs = ["W8", "W4", "W3", "W2"];
    const byPredicted = [...predicted].sort((a, b) => b.worst_sqnr_db - a.worst_sqnr_db).map((p) => p.spec);
    const byKl = [...specs].sort((a, b) => measured[a]!.kl - measured[b]!.kl);
    expect(byKl).toEqual(specs);
    expect(byPredicted).toEqual(byKl);
    expect(predicted.every((p) => p.tensors === 35)).toBe(true); // 5 layers x 7 linears
  }, 300_000);
});
