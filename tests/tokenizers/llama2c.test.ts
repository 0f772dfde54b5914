/** parseLlama2cTokenizer on tok512.bin: greedy ids, the README's 7,289 scored tokens, round trips, run.c parity, bad files. */
import { describe, expect, it } from "vitest";
import { FormatError } from "../../lib/formats/errors.ts";
import { MAX_TOKEN_BYTES, parseLlama2cTokenizer } from "../../lib/tokenizers/llama2c.ts";
import { fixture, readFixture } from "../helpers/fixtures.ts";
import { GREEDY_IDS, GREEDY_TEXT, llama2cPieces, runcEncode, stories } from "./stories.ts";

const tokPath = await fixture("models/tok512.bin");
const valid = await stories("corpora/tinystories_valid_excerpt.txt");
const sample = await stories("corpora/tinystories_sample.txt");
const bytes = tokPath ? readFixture(tokPath) : null;

describe.skipIf(!bytes)("tok512.bin", () => {
  const tok = parseLlama2cTokenizer(bytes!, "tok512.bin");

  it("reads 512 pieces with BOS 1 / EOS 2; the model header's vocab size gives the same", () => {
    expect([tok.vocabSize, tok.bos, tok.eos]).toEqual([512, 1, 2]);
    expect(parseLlama2cTokenizer(bytes!, "tok512.bin", 512).encode("Once upon")).toEqual(tok.encode("Once upon"));
    expect(Array.from(tok.encode("Once upon"))).toEqual([1, 403, 407]);
    expect(Array.from(tok.encode(""))).toEqual([1]);
    expect(Array.from(tok.encode("Once", { bos: false }))).toEqual([403]);
  });

  it("decodes the README's 20 greedy ids to the documented text (leading space stripped after BOS)", () => {
    expect(GREEDY_TEXT.startsWith(tok.decode(GREEDY_IDS))).toBe(true);
    expect(tok.decode(GREEDY_IDS)).toBe("Once upon a time, there was a little girl named Lily. She loved to play");
    expect(tok.decode([1, ...GREEDY_IDS])).toBe(tok.decode(GREEDY_IDS));
  });

  it.skipIf(!valid)("encodes the 23 validation stories to 7,289 scored tokens, each round-tripping exactly", () => {
    expect(valid!.length).toBe(23);
    let scored = 0;
    for (const s of valid!) {
      const ids = tok.encode(s);
      scored += ids.length - 1;
      expect(tok.decode(ids)).toBe(s);
    }
    expect(scored).toBe(7289);
  });

  it.skipIf(!valid || !sample)("equals a literal port of run.c encode on every story (incl. curly quotes)", () => {
    const { pieces, scores } = llama2cPieces(bytes!);
    for (const s of [...valid!, ...sample!, "a\u00e9\u4e2d\u{1F600}  x", "\u2019", " lead", "tail \n"]) {
      expect(Array.from(tok.encode(s))).toEqual(runcEncode(pieces, scores, s));
    }
  });

  it("equals run.c on random strings that provoke equal-score ties (\"lll\", \"eee\") and fallback", () => {
    const { pieces, scores } = llama2cPieces(bytes!);
    const alphabet = ["l", "e", "o", " ", "a", "\u00e9", "\n", "ll", "ee"];
    let seed = 12345;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    for (let t = 0; t < 300; t++) {
      const s = Array.from({ length: 1 + rand(30) }, () => alphabet[rand(alphabet.length)]).join("");
      expect(Array.from(tok.encode(s))).toEqual(runcEncode(pieces, scores, s));
    }
  });

  it.skipIf(!sample)("byte fallback: non-ASCII text uses <0xNN> ids 3..258 and round-trips", () => {
    const curly = sample!.filter((s) => /[^\x00-\x7f]/.test(s));
    expect(curly.length).toBeGreaterThan(0);
    for (const s of curly) {
      const ids = tok.encode(s);
      expect(ids.some((id) => id >= 3 && id <= 258)).toBe(true);
      expect(tok.decode(ids)).toBe(s);
    }
    const ids = tok.encode("\u201cHi\u201d \u{1F600}");
    expect(tok.decode(ids)).toBe("\u201cHi\u201d \u{1F600}");
  });
});

describe("bad llama2.c tokenizer files", () => {
  /** A file of `pieces` (score -i unless `scores` given) behind max_token_length `maxLen`. */
  function build(pieces: string[], maxLen = 8, scores?: number[]): Uint8Array {
    const enc = pieces.map((p) => new TextEncoder().encode(p));
    const out = new Uint8Array(4 + enc.reduce((s, b) => s + 8 + b.length, 0));
    const dv = new DataView(out.buffer);
    dv.setUint32(0, maxLen, true);
    let off = 4;
    enc.forEach((b, i) => { dv.setFloat32(off, scores?.[i] ?? -i, true); dv.setInt32(off + 4, b.length, true); out.set(b, off + 8); off += 8 + b.length; });
    return out;
  }
  function fails(b: Uint8Array, field: RegExp, vocab?: number): void {
    const err = (() => { try { parseLlama2cTokenizer(b, "bad.bin", vocab); return null; } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).file).toBe("bad.bin");
    expect((err as FormatError).field).toMatch(field);
  }
  const good = build(["<unk>", "\n<s>\n", "\n</s>\n", " ", "a", " a"]);

  it("accepts a tiny well-formed file (no byte pieces: fallback maps to what exists)", () => {
    const tok = parseLlama2cTokenizer(good, "good.bin");
    expect(Array.from(tok.encode("a a"))).toEqual([1, 5, 5]);
  });
  it("breaks equal-score ties to the leftmost pair, like run.c, on random a/b strings", () => {
    const pieces = ["<unk>", "\n<s>\n", "\n</s>\n", " ", "a", "b", "ab", "ba", "aba", "bab", " a", " b"];
    const scores = [0, 0, 0, 0, 0, 0, -1, -1, -2, -2, -3, -3];
    const file = build(pieces, 8, scores);
    const tok = parseLlama2cTokenizer(file, "ties.bin");
    let seed = 7;
    for (let t = 0; t < 300; t++) {
      const s = Array.from({ length: 1 + ((seed = (seed * 48271) % 2147483647) % 12) }, (_, i) => ((seed >> i) & 1 ? "a" : "b")).join("");
      expect(Array.from(tok.encode(s))).toEqual(runcEncode(pieces, scores, s));
    }
  });

  it("names the field of truncations, bad lengths and counts", () => {
    fails(good.subarray(0, 2), /^max_token_length$/);
    fails(good.subarray(0, good.length - 1), /^token 5 bytes$/);
    fails(good.subarray(0, good.length - 4), /^token 5 score\/length$/);
    fails(good, /^token 6 score\/length$/, 7);
    fails(build(["<unk>", "toolong"], 5), /^token 1 length$/);
    fails(build(["<unk>"], MAX_TOKEN_BYTES + 1), /^max_token_length$/);
    fails(build(["<unk>", "<s>"]), /^vocab_size$/);
    fails(good, /^vocab_size$/, -1);
    const neg = good.slice();
    new DataView(neg.buffer).setInt32(8, -5, true);
    fails(neg, /^token 0 length$/);
  });
});
