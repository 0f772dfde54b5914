/**
 * runEvalSession's two orders give the same numbers: window-major (one FP32 pass for all specs, the
 * default) against spec-major (the FP32 reference re-run per spec, the path before issue 14), on
 * stories260K (llama2.c) and on the arch-zoo's Qwen2 (GQA, q/k/v biases, a tokenizer.json).
 */
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { runEvalSession, type EvalSessionOptions } from "../../lib/eval/session.ts";
import type { EvalResult } from "../../lib/eval/metrics.ts";
import { openModel } from "../../lib/formats/open.ts";
import { nodeRuntime } from "../../lib/formats/open-node.ts";
import { kernelLinears } from "../../lib/model/kernel-linear.ts";
import { DOCUMENT_SEPARATOR, splitDocuments } from "../../lib/model/protocol.ts";
import { parseSpecList, type QuantSpec } from "../../lib/quant/spec.ts";
import { parseLlama2cTokenizer } from "../../lib/tokenizers/llama2c.ts";
import { openTokenizerPath } from "../../lib/tokenizers/open-node.ts";
import type { Tokenizer } from "../../lib/tokenizers/types.ts";
import { fixture } from "../helpers/fixtures.ts";

/** the bound; the two orders run the same float64 arithmetic in the same order, so they agree exactly in practice */
const MAX_ORDER_DIFF = 1e-9;
const NINE = "FP32,W8,W4,W3,W8A8,W4A8,W4A4,KV8,KV4";

async function both(model: string, tokenizer: Tokenizer, text: string, specs: string, extra: Partial<EvalSessionOptions> = {}) {
  const run = async (order: "window-major" | "spec-major") => {
    const k = await kernelLinears();
    const source = await openModel(model, { runtime: nodeRuntime });
    const seen: string[] = [];
    try {
      const r = await runEvalSession({ source, tokenizer, text, specs: parseSpecList(specs), f32: k.f32, packed: k.packed, order, onSpec: (s: QuantSpec) => { seen.push(s.text); }, ...extra });
      return { r, seen };
    } finally {
      await source.close();
      await k.close();
    }
  };
  return { win: await run("window-major"), spec: await run("spec-major") };
}

function maxDiff(a: Map<string, EvalResult>, b: Map<string, EvalResult>): number {
  expect([...a.keys()]).toEqual([...b.keys()]);
  let d = 0;
  for (const [spec, r] of a) {
    const o = b.get(spec)!;
    expect(r.tokens).toBe(o.tokens);
    for (const k of ["ppl", "mean_nll", "kl", "top1_agreement"] as const) d = Math.max(d, Math.abs(r[k]! - o[k]!));
  }
  if (process.env.SHOW_DIFF) console.log(`max order diff ${d}`);
  return d;
}

describe("runEvalSession({ order })", () => {
  it("window-major and spec-major give stories260K's nine specs alike to 1e-9, handed over in spec order", async (ctx) => {
    const [model, tok, textPath] = await Promise.all([fixture("models/stories260K.bin"), fixture("models/tok512.bin"), fixture("corpora/tinystories_valid_excerpt.txt")]);
    if (!model || !tok || !textPath) return ctx.skip();
    const tokenizer = parseLlama2cTokenizer(readFileSync(tok), tok, 512);
    // the first 8 documents (~2,300 tokens): two passes of nine specs stay within a few seconds
    const text = splitDocuments(readFileSync(textPath, "utf8")).slice(0, 8).join(`\n${DOCUMENT_SEPARATOR}\n`);
    const { win, spec } = await both(model, tokenizer, text, NINE, { context: 96 });
    expect(maxDiff(win.r, spec.r)).toBeLessThanOrEqual(MAX_ORDER_DIFF);
    expect(win.seen).toEqual(parseSpecList(NINE).map((s) => s.text));
    expect(win.r.get("W3")!.kl).toBeGreaterThan(win.r.get("W8")!.kl!);
    expect(win.r.get("FP32")).toMatchObject({ kl: 0, top1_agreement: 1 });
  });

  it("window-major and spec-major agree on the arch-zoo Qwen2 with a calibrated spec (AWQ) among RTN and KV specs", async (ctx) => {
    const [cfg, textPath] = await Promise.all([fixture("models/arch-zoo/qwen2/config.json"), fixture("corpora/tinyshakespeare_eval.txt")]);
    if (!cfg || !textPath) return ctx.skip();
    const dir = dirname(cfg);
    const tokenizer = await openTokenizerPath(dir, {});
    const { win, spec } = await both(dir, tokenizer, readFileSync(textPath, "utf8"), "FP32,W4,W4-awq,W8A8,KV4", { context: 128 });
    expect(maxDiff(win.r, spec.r)).toBeLessThanOrEqual(MAX_ORDER_DIFF);
    expect(win.r.get("W4")!.tokens).toBeGreaterThan(1000);
  });

  it("an abort after the first spec is handed over keeps that spec only (window-major)", async (ctx) => {
    const [model, tok, textPath] = await Promise.all([fixture("models/stories260K.bin"), fixture("models/tok512.bin"), fixture("corpora/tinystories_sample.txt")]);
    if (!model || !tok || !textPath) return ctx.skip();
    const tokenizer = parseLlama2cTokenizer(readFileSync(tok), tok, 512);
    const k = await kernelLinears();
    const source = await openModel(model, { runtime: nodeRuntime });
    const stop = new AbortController();
    const seen: string[] = [];
    try {
      const run = runEvalSession({ source, tokenizer, text: readFileSync(textPath, "utf8"), specs: parseSpecList("FP32,W4,KV4"), f32: k.f32, packed: k.packed, signal: stop.signal,
        onSpec: (s) => { seen.push(s.text); stop.abort(); } });
      await expect(run).rejects.toThrow();
      expect(seen).toEqual(["FP32"]);
    } finally {
      await source.close();
      await k.close();
    }
  });
});
