/** The evaluator on stories260K's FP32 forward pass against the fixtures' README (mean NLL 1.2379 over 7,289 tokens). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../lib/eval/evaluate.ts";
import { splitDocuments } from "../../lib/model/protocol.ts";
import { parseLlama2cTokenizer } from "../../lib/tokenizers/llama2c.ts";
import { openModel } from "../../lib/formats/open.ts";
import { nodeRuntime } from "../../lib/formats/open-node.ts";
import { buildModel, jsLinear, llamaEngine, loadLlama } from "../../lib/model/llama.ts";
import { fixture } from "../helpers/fixtures.ts";

/** README: 1.2379 nats/token, printed to 4 decimals; the issue asks for agreement within 1e-3 */
const MAX_README_NLL_ERROR = 1e-3;

describe("evaluate(engine, documents, reference)", () => {
  it("scores stories260K.bin at the README's mean NLL on the validation excerpt, with KL 0 and agreement 1 against itself", async (ctx) => {
    const [model, tok, text] = await Promise.all([fixture("models/stories260K.bin"), fixture("models/tok512.bin"), fixture("corpora/tinystories_valid_excerpt.txt")]);
    if (!model || !tok || !text) return ctx.skip();
    const tokenizer = parseLlama2cTokenizer(readFileSync(tok), tok, 512);
    const docs = splitDocuments(readFileSync(text, "utf8")).map((d) => tokenizer.encode(d));
    expect(docs.length).toBe(23);
    const source = await openModel(model, { runtime: nodeRuntime });
    const { config, weights } = await loadLlama(source);
    await source.close();
    const engine = llamaEngine(buildModel(config, weights, jsLinear), { name: "fp32" });
    const r = await evaluate(engine, docs, engine);
    expect(r.tokens).toBe(7289);
    expect(Math.abs(r.mean_nll! - 1.2379)).toBeLessThan(MAX_README_NLL_ERROR);
    expect(r.ppl).toBeCloseTo(3.449, 2);
    expect(r.kl).toBe(0);
    expect(r.top1_agreement).toBe(1);
  });
});
