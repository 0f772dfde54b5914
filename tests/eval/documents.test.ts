/** Streamed documents: the same documents as splitDocuments, whatever the line ends. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { linesToDocuments, textDocuments } from "../../lib/eval/documents.ts";
import { splitDocuments } from "../../lib/model/protocol.ts";
import { fixture } from "../helpers/fixtures.ts";

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const d of it) out.push(d);
  return out;
}

async function* lines(text: string) { yield* text.split("\n"); }

describe("linesToDocuments(lines)", () => {
  const texts = [
    "a\nb\n<|endoftext|>\nc\n",
    "a\r\nb\r\n<|endoftext|>\r\nc\r\n<|endoftext|>\r\n",
    "<|endoftext|>\n\n<|endoftext|>\nonly\n",
    "",
  ];
  for (const [i, t] of texts.entries()) {
    it(`gives splitDocuments' documents for case ${i}`, async () => {
      expect(await collect(linesToDocuments(lines(t)))).toEqual(splitDocuments(t));
    });
  }

  it("gives the 23 stories of the validation excerpt, and textDocuments can be read twice", async (ctx) => {
    const path = await fixture("corpora/tinystories_valid_excerpt.txt");
    if (!path) return ctx.skip();
    const text = readFileSync(path, "utf8");
    const docs = await collect(linesToDocuments(lines(text)));
    expect(docs).toHaveLength(23);
    expect(docs).toEqual(splitDocuments(text));
    const src = textDocuments(text);
    expect(await collect(src())).toEqual(await collect(src()));
  });
});
