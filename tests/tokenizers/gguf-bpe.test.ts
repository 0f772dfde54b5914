/** GGUF "gpt2" (byte-level BPE) vocabularies, hand-built: pre-tokenizer choice, control/user tokens, BOS, bad metadata. */
import { describe, expect, it } from "vitest";
import { FormatError } from "../../lib/formats/errors.ts";
import { tokenizerFromGguf } from "../../lib/tokenizers/gguf.ts";
import { stories } from "./stories.ts";

const sample = await stories("corpora/tinystories_sample.txt");

/** GPT-2's bytes_to_unicode: printable bytes map to themselves, the rest to U+0100 upward. */
function byteChars(): string[] {
  const keep = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  let next = 256;
  return Array.from({ length: 256 }, (_, b) => String.fromCodePoint(keep(b) ? b : next++));
}

/** 256 byte tokens, then merged tokens in merge order, then <|endoftext|> (control) and <tool> (user-defined). */
function meta(merges: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const tokens = [...byteChars(), ...merges.map((m) => m.replace(" ", "")), "<|endoftext|>", "<tool>"];
  const types = tokens.map((_, i) => (i === tokens.length - 2 ? 3 : i === tokens.length - 1 ? 4 : 1));
  return {
    "tokenizer.ggml.model": "gpt2", "tokenizer.ggml.tokens": tokens, "tokenizer.ggml.token_type": types, "tokenizer.ggml.merges": merges,
    "tokenizer.ggml.bos_token_id": tokens.length - 2, "tokenizer.ggml.eos_token_id": tokens.length - 2, ...extra,
  };
}
const WORDS = ["Ġ t", "h e", "Ġt he", "Ġ a", "n d", "Ġa nd"];
const DIGITS = ["3 4", "1 2", "12 3", "4 5"];

describe("GGUF gpt2 vocabularies", () => {
  const tok = tokenizerFromGguf(meta(WORDS), "gpt2.gguf");
  const id = (t: string) => (meta(WORDS)["tokenizer.ggml.tokens"] as string[]).indexOf(t);

  it("applies merges, adds no BOS unless add_bos_token, round-trips any text byte-exactly", () => {
    expect(tok.bos).toBeNull();
    expect(Array.from(tok.encode("the and the"))).toEqual([id("t"), id("he"), id("Ġand"), id("Ġthe")]);
    for (const s of [...(sample ?? []), "\u201cHi\u201d \u00e9\u4e2d\u{1F600}\n\n  x", ""]) expect(tok.decode(tok.encode(s))).toBe(s);
    const withBos = tokenizerFromGguf(meta(WORDS, { "tokenizer.ggml.add_bos_token": true }), "gpt2.gguf");
    expect(Array.from(withBos.encode("the"))[0]).toBe(withBos.bos);
    expect(Array.from(withBos.encode("the", { bos: false }))).toEqual(Array.from(tok.encode("the")));
  });

  it("matches user-defined tokens from text but not control tokens; control tokens print nothing", () => {
    const n = tok.vocabSize;
    expect(Array.from(tok.encode("a<tool>b"))).toContain(n - 1);
    expect(Array.from(tok.encode("<|endoftext|>"))).not.toContain(n - 2);
    expect(tok.decode([...tok.encode("the"), n - 2])).toBe("the");
  });

  it("tokenizer.ggml.pre picks the split regex: llama-bpe splits digits in threes, gpt-2 does not", () => {
    const gpt2 = tokenizerFromGguf(meta(DIGITS, { "tokenizer.ggml.pre": "gpt-2" }), "d.gguf");
    const llama3 = tokenizerFromGguf(meta(DIGITS, { "tokenizer.ggml.pre": "llama-bpe" }), "d.gguf");
    const ids = (t: string) => t.split(" ").map((x) => (meta(DIGITS)["tokenizer.ggml.tokens"] as string[]).indexOf(x));
    expect(Array.from(gpt2.encode("12345"))).toEqual(ids("12 34 5"));
    expect(Array.from(llama3.encode("12345"))).toEqual(ids("123 45"));
    expect(llama3.decode(llama3.encode("12345 abc"))).toBe("12345 abc");
  });
});

describe("bad GGUF gpt2 metadata", () => {
  function fails(m: Record<string, unknown>, field: RegExp): void {
    const err = (() => { try { tokenizerFromGguf(m, "bad.gguf"); return null; } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).file).toBe("bad.gguf");
    expect((err as FormatError).field).toMatch(field);
  }
  it("names the metadata key", () => {
    fails({ ...meta(WORDS), "tokenizer.ggml.merges": undefined }, /tokenizer\.ggml\.merges/);
    fails({ ...meta(WORDS), "tokenizer.ggml.merges": ["Ġt"] }, /tokenizer\.ggml\.merges/);
    fails({ ...meta(WORDS), "tokenizer.ggml.merges": [7] }, /tokenizer\.ggml\.merges/);
    fails(meta(WORDS, { "tokenizer.ggml.pre": "made-up" }), /tokenizer\.ggml\.pre/);
    fails({ ...meta(WORDS), "tokenizer.ggml.token_type": [1] }, /tokenizer\.ggml\.token_type/);
  });
});
