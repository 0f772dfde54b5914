/** tokenizerFromGguf on stories260K.gguf: same ids as tok512.bin on every story, README numbers, bad metadata. */
import { describe, expect, it } from "vitest";
import { FormatError } from "../../lib/formats/errors.ts";
import { openGguf } from "../../lib/formats/gguf.ts";
import { tokenizerFromGguf } from "../../lib/tokenizers/gguf.ts";
import { parseLlama2cTokenizer } from "../../lib/tokenizers/llama2c.ts";
import { fixture, readFixture } from "../helpers/fixtures.ts";
import { memorySource } from "../helpers/memory-source.ts";
import { GREEDY_IDS, stories } from "./stories.ts";

const ggufPath = await fixture("models/stories260K.gguf");
const tokPath = await fixture("models/tok512.bin");
const valid = await stories("corpora/tinystories_valid_excerpt.txt");
const sample = await stories("corpora/tinystories_sample.txt");
const meta = ggufPath ? (await openGguf(memorySource(readFixture(ggufPath), "stories260K.gguf"))).metadata : null;

describe.skipIf(!meta)("stories260K.gguf embedded vocabulary", () => {
  const tok = tokenizerFromGguf(meta!, "stories260K.gguf");

  it("has 512 tokens, BOS 1, EOS 2 and decodes the greedy ids like tok512.bin", () => {
    expect([tok.vocabSize, tok.bos, tok.eos]).toEqual([512, 1, 2]);
    expect(tok.decode(GREEDY_IDS)).toBe("Once upon a time, there was a little girl named Lily. She loved to play");
  });

  it.skipIf(!valid)("scores 7,289 tokens on the validation excerpt and round-trips every story", () => {
    let scored = 0;
    for (const s of valid!) {
      const ids = tok.encode(s);
      scored += ids.length - 1;
      expect(tok.decode(ids)).toBe(s);
    }
    expect(scored).toBe(7289);
  });

  it.skipIf(!tokPath || !valid || !sample)("encodes every story (and non-ASCII text) to the same ids as tok512.bin", () => {
    const bin = parseLlama2cTokenizer(readFixture(tokPath!), "tok512.bin");
    for (const s of [...valid!, ...sample!, "\u201cNo!\u201d \u00e9\u4e2d\u{1F600}", "", "  two  spaces "]) {
      const ids = tok.encode(s);
      expect(Array.from(ids)).toEqual(Array.from(bin.encode(s)));
      expect(tok.decode(ids)).toBe(s);
    }
  });

  it("does not match control tokens from text; follows add_space_prefix", () => {
    const ids = Array.from(tok.encode("<s></s>", { bos: false }));
    expect(ids).not.toContain(1);
    expect(ids).not.toContain(2);
    expect(tok.decode([1, ...tok.encode("hi", { bos: false }), 2])).toBe("hi");
    const noPrefix = tokenizerFromGguf({ ...meta!, "tokenizer.ggml.add_space_prefix": false }, "x.gguf");
    expect(noPrefix.decode(noPrefix.encode("Once"))).toBe("Once");
    expect(Array.from(noPrefix.encode("Once"))).not.toEqual(Array.from(tok.encode("Once")));
  });
});

const synthPath = await fixture("models/gguf-quants/synth-llama-Q4_0.gguf");
const src = synthPath ? await openGguf(memorySource(readFixture(synthPath), "synth.gguf")) : null;
describe.skipIf(!src)("synth-llama GGUF (1024 made-up SentencePiece pieces, add_bos_token true)", () => {
  it("round-trips every story with one BOS; add_bos_token false drops BOS", () => {
    const tok = tokenizerFromGguf(src!.metadata, "synth.gguf");
    expect([tok.vocabSize, tok.bos, tok.eos]).toEqual([1024, 1, 2]);
    for (const s of [...(valid ?? []), ...(sample ?? [])]) {
      const ids = tok.encode(s);
      expect(ids.filter((id) => id === 1).length).toBe(1);
      expect(tok.decode(ids)).toBe(s);
    }
    const noBos = tokenizerFromGguf({ ...src!.metadata, "tokenizer.ggml.add_bos_token": false }, "synth.gguf");
    expect(noBos.bos).toBeNull();
    expect(Array.from(noBos.encode("Once"))).toEqual(Array.from(tok.encode("Once", { bos: false })));
  });
});

describe("bad GGUF tokenizer metadata", () => {
  const base = { "tokenizer.ggml.model": "llama", "tokenizer.ggml.tokens": ["<unk>", "<s>", "</s>", "\u2581", "a", "\u2581a"] };
  function fails(m: Record<string, unknown>, field: RegExp): void {
    const err = (() => { try { tokenizerFromGguf(m, "bad.gguf"); return null; } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).file).toBe("bad.gguf");
    expect((err as FormatError).field).toMatch(field);
  }
  it("names the metadata key", () => {
    const ok = tokenizerFromGguf(base, "ok.gguf");
    expect(Array.from(ok.encode("a a"))).toEqual([1, 5, 5]);
    expect(Array.from(ok.encode("a\u00e9", { bos: false }))).toEqual([5, 0, 0]); // no byte tokens: <unk> per byte
    fails({}, /tokenizer\.ggml\.model/);
    fails({ ...base, "tokenizer.ggml.model": "t5" }, /tokenizer\.ggml\.model/);
    fails({ ...base, "tokenizer.ggml.tokens": undefined }, /tokenizer\.ggml\.tokens/);
    fails({ ...base, "tokenizer.ggml.tokens": [1, 2] }, /tokenizer\.ggml\.tokens/);
    fails({ ...base, "tokenizer.ggml.scores": [0, 0] }, /tokenizer\.ggml\.scores/);
    fails({ ...base, "tokenizer.ggml.token_type": [1, 1, 1, 1, 1, "x"] }, /tokenizer\.ggml\.token_type/);
    fails({ ...base, "tokenizer.ggml.bos_token_id": "1" }, /tokenizer\.ggml\.bos_token_id/);
  });
});
