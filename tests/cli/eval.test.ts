/**
 * `quantlens eval`: the "done when" command on the four forms of stories260K, the store,
 * the onnxruntime-web engine and the errors a user can make.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../lib/cli/main.ts";
import { fetchRunResults } from "../../lib/store/eval-queries.ts";
import { openNodeStore } from "../../lib/store/node.ts";
import { fetchRuns } from "../../lib/store/queries.ts";
import { captureEffects } from "../helpers/capture.ts";
import { fixture } from "../helpers/fixtures.ts";

/** README: mean NLL 1.2379 nats/token over 7,289 tokens; the issue asks for 1e-3 */
const README_NLL = 1.2379;
const MAX_README_NLL_ERROR = 1e-3;
/** the forms hold bit-identical weights: only float summation order differs between readers' layouts */
const MAX_CROSS_FORM_NLL_ERROR = 1e-6;
const KEYS = ["ppl", "mean_nll", "kl", "top1_agreement", "tokens"];
type Rows = Record<string, Record<string, number>>;

let bin: string | null, gguf: string | null, hf: string | null, onnx: string | null, tok: string | null, text: string | null, short: string;

async function evalJson(args: string[]): Promise<Rows> {
  const fx = captureEffects();
  const code = await main(["eval", ...args, "--json"], fx);
  expect(code, fx.stderr()).toBe(0);
  return JSON.parse(fx.stdout()) as Rows;
}

beforeAll(async () => {
  [bin, gguf, onnx, tok, text] = await Promise.all(["models/stories260K.bin", "models/stories260K.gguf", "models/stories260K-onnx/model.onnx",
    "models/tok512.bin", "corpora/tinystories_valid_excerpt.txt"].map((p) => fixture(p)));
  const cfg = await fixture("models/stories260K-hf/config.json");
  hf = cfg ? dirname(cfg) : null;
  if (text) {
    short = join(mkdtempSync(join(tmpdir(), "ql-eval-")), "three-stories.txt");
    writeFileSync(short, readFileSync(text, "utf8").split("<|endoftext|>").slice(0, 3).join("<|endoftext|>"));
  }
});

describe("quantlens eval", () => {
  it("prints the CONTRACT keys for the issue's nine specs on stories260K.bin, FP32 at the README's NLL", async (ctx) => {
    if (!bin || !tok || !text) return ctx.skip();
    const specs = ["FP32", "W8", "W4", "W3", "W8A8", "W4A8", "W4A4", "KV8", "KV4"];
    const r = await evalJson([bin, "--tokenizer", tok, "--text", text, "--spec", specs.join(",")]);
    expect(Object.keys(r)).toEqual(specs);
    for (const s of specs) {
      expect(Object.keys(r[s]!)).toEqual(KEYS);
      expect(r[s]!.tokens).toBe(7289);
    }
    expect(Math.abs(r.FP32!.mean_nll! - README_NLL)).toBeLessThan(MAX_README_NLL_ERROR);
    expect(r.FP32).toMatchObject({ kl: 0, top1_agreement: 1 });
    // damage grows as bits shrink, for weights, activations and the KV cache
    expect(r.W8!.kl).toBeLessThan(r.W4!.kl!);
    expect(r.W4!.kl).toBeLessThan(r.W3!.kl!);
    expect(r.W8A8!.kl).toBeLessThan(r.W4A8!.kl!);
    expect(r.W4A8!.kl).toBeLessThan(r.W4A4!.kl!);
    expect(r.KV8!.kl).toBeLessThan(r.KV4!.kl!);
    expect(r.W8!.top1_agreement).toBeGreaterThan(0.95);
    expect(r.W3!.ppl).toBeGreaterThan(r.FP32!.ppl!);
  }, 300_000);

  it("gives the .bin's rows for the GGUF, Hugging Face folder and ONNX forms", async (ctx) => {
    if (!bin || !tok || !text) return ctx.skip();
    const args = ["--tokenizer", tok, "--text", short, "--spec", "FP32,W4-g32,W8A8KV4"];
    const ref = await evalJson([bin, ...args]);
    for (const form of [gguf, hf, onnx]) {
      if (!form) continue;
      const r = await evalJson([form, ...args]);
      for (const s of Object.keys(ref)) {
        expect(r[s]!.tokens, `${form} ${s}`).toBe(ref[s]!.tokens);
        expect(Math.abs(r[s]!.mean_nll! - ref[s]!.mean_nll!), `${form} ${s}`).toBeLessThan(MAX_CROSS_FORM_NLL_ERROR);
        expect(Math.abs(r[s]!.kl! - ref[s]!.kl!), `${form} ${s}`).toBeLessThan(MAX_CROSS_FORM_NLL_ERROR);
      }
    }
  }, 300_000);

  it("uses the GGUF's own vocabulary when no --tokenizer is given", async (ctx) => {
    if (!gguf || !bin || !tok || !text) return ctx.skip();
    const own = await evalJson([gguf, "--text", short, "--spec", "FP32"]);
    const given = await evalJson([bin, "--tokenizer", tok, "--text", short, "--spec", "FP32"]);
    expect(own.FP32!.tokens).toBe(given.FP32!.tokens);
    expect(Math.abs(own.FP32!.mean_nll! - given.FP32!.mean_nll!)).toBeLessThan(MAX_CROSS_FORM_NLL_ERROR);
  });

  it("--engine ort (onnxruntime-web) gives our engine's FP32 and weight-only rows", async (ctx) => {
    if (!onnx || !tok || !text) return ctx.skip();
    const args = ["--tokenizer", tok, "--text", short, "--spec", "FP32,W4-g32"];
    const ours = await evalJson([onnx, ...args]);
    const ort = await evalJson([onnx, ...args, "--engine", "ort"]);
    for (const s of ["FP32", "W4-g32"]) {
      expect(ort[s]!.tokens).toBe(ours[s]!.tokens);
      // two engines: float summation orders differ (logits agree to ~1e-5)
      expect(Math.abs(ort[s]!.mean_nll! - ours[s]!.mean_nll!)).toBeLessThan(1e-5);
    }
  }, 120_000);

  it("--db stores one finished eval run with every metric of every spec", async (ctx) => {
    if (!bin || !tok || !text) return ctx.skip();
    const db = join(mkdtempSync(join(tmpdir(), "ql-evaldb-")), "runs.duckdb");
    const r = await evalJson([bin, "--tokenizer", tok, "--text", short, "--spec", "FP32,W4", "--db", db]);
    const store = await openNodeStore(db);
    try {
      const [run] = await fetchRuns(store);
      expect(run).toMatchObject({ kind: "eval", status: "done" });
      const rows = await fetchRunResults(store, run!.run_id);
      expect(rows).toHaveLength(2 * 4);
      const w4 = rows.find((x) => x.spec === "W4" && x.metric === "kl")!;
      expect(w4.value).toBe(r.W4!.kl);
      expect(w4.tokens).toBe(r.W4!.tokens);
    } finally {
      await store.close();
    }
  });

  it("--context N cuts windows of N tokens: the same tokens predicted, a higher NLL with less context", async (ctx) => {
    if (!bin || !tok || !text) return ctx.skip();
    const full = await evalJson([bin, "--tokenizer", tok, "--text", short, "--spec", "FP32"]);
    const cut = await evalJson([bin, "--tokenizer", tok, "--text", short, "--spec", "FP32", "--context", "32"]);
    expect(cut.FP32!.tokens).toBe(full.FP32!.tokens);
    expect(cut.FP32!.mean_nll).toBeGreaterThan(full.FP32!.mean_nll!);
    const same = await evalJson([bin, "--tokenizer", tok, "--text", short, "--spec", "FP32", "--context", "512"]);
    expect(same.FP32!.mean_nll).toBe(full.FP32!.mean_nll);
  });

  it("exits 2 (usage) or 1 (input: no tokenizer) with one line naming the problem for a bad spec, a missing --text, no tokenizer, a bad --context, or a spec --engine ort cannot run", async (ctx) => {
    if (!bin || !hf || !onnx || !text) return ctx.skip();
    const cases: Array<[string[], RegExp, number]> = [
      [[bin, "--text", short, "--spec", "W9"], /--spec: quant spec "W9"/, 2],
      [[bin, "--spec", "FP32"], /missing --text/, 2],
      [[hf, "--text", short, "--spec", "FP32"], /holds no tokenizer; pass --tokenizer/, 1],
      [[onnx, "--text", short, "--spec", "W8A8", "--engine", "ort", "--tokenizer", tok!], /weight-only RTN/, 2],
      [[bin, "--tokenizer", tok!, "--text", short, "--spec", "FP32", "--context", "0"], /--context must be a positive integer/, 2],
      [[bin, "--tokenizer", tok!, "--text", short, "--spec", "FP32", "--context", "513"], /--context 513 exceeds the model's context length 512/, 2],
    ];
    for (const [args, message, code] of cases) {
      const fx = captureEffects();
      expect(await main(["eval", ...args], fx), args.join(" ")).toBe(code);
      expect(fx.stderr()).toMatch(message);
      expect(fx.stderr().trim().split("\n")).toHaveLength(1);
    }
  });
});
