/** Multiple-choice suites: JSONL validation and log-likelihood scoring on stories260K. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseChoiceSuite, scoreChoices, type ChoiceItem } from "../../lib/eval/multiple-choice.ts";
import { splitDocuments } from "../../lib/model/protocol.ts";
import { parseLlama2cTokenizer } from "../../lib/tokenizers/llama2c.ts";
import { FormatError } from "../../lib/formats/errors.ts";
import { openModel } from "../../lib/formats/open.ts";
import { nodeRuntime } from "../../lib/formats/open-node.ts";
import { buildModel, jsLinear, llamaEngine, loadLlama } from "../../lib/model/llama.ts";
import { fixture } from "../helpers/fixtures.ts";

describe("parseChoiceSuite(jsonl, fileName)", () => {
  it("reads {context, choices, answer} lines and skips blank ones", () => {
    const items = parseChoiceSuite('{"context":"a","choices":["b","c"],"answer":1}\n\n{"context":"x","choices":["y","z","w"],"answer":0}\n', "s.jsonl");
    expect(items).toEqual([{ context: "a", choices: ["b", "c"], answer: 1 }, { context: "x", choices: ["y", "z", "w"], answer: 0 }]);
  });

  for (const [line, field] of [
    ["{not json", "line 2"],
    ['{"context":"a","choices":["b"],"answer":0}', "line 2"],
    ['{"context":"a","choices":["b","c"],"answer":2}', "line 2 answer"],
    ['{"context":1,"choices":["b","c"],"answer":0}', "line 2"],
  ] as const) {
    it(`rejects ${line} with a FormatError naming the file and ${field}`, () => {
      const e = (() => { try { parseChoiceSuite(`{"context":"a","choices":["b","c"],"answer":0}\n${line}`, "s.jsonl"); } catch (x) { return x; } })();
      expect(e).toBeInstanceOf(FormatError);
      expect((e as FormatError).message).toMatch(new RegExp(`^s\\.jsonl: ${field}: `));
    });
  }
});

describe("scoreChoices(engine, tokenizer, items)", () => {
  it("picks the true continuation of a held-out story over another story's far more often than chance", async (ctx) => {
    const [model, tok, text] = await Promise.all([fixture("models/stories260K.bin"), fixture("models/tok512.bin"), fixture("corpora/tinystories_valid_excerpt.txt")]);
    if (!model || !tok || !text) return ctx.skip();
    const stories = splitDocuments(readFileSync(text, "utf8")).slice(0, 12);
    // context: a story's first 80 characters; choices: its next 40 vs the next 40 of two other stories
    const items: ChoiceItem[] = stories.map((s, i) => ({
      context: s.slice(0, 80),
      choices: [s.slice(80, 120), stories[(i + 1) % stories.length]!.slice(80, 120), stories[(i + 5) % stories.length]!.slice(80, 120)],
      answer: 0,
    }));
    const source = await openModel(model, { runtime: nodeRuntime });
    const { config, weights } = await loadLlama(source);
    await source.close();
    const engine = llamaEngine(buildModel(config, weights, jsLinear), { name: "fp32" });
    const r = await scoreChoices(engine, parseLlama2cTokenizer(readFileSync(tok), tok, 512), items);
    expect(r.mc_items).toBe(12);
    expect(r.mc_accuracy).toBeGreaterThanOrEqual(0.75); // chance is 1/3
    expect(r.mc_accuracy_norm).toBeGreaterThanOrEqual(0.75);
  });
});
