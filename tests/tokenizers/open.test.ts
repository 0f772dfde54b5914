/** openTokenizerFile picks the reader by content; tokenizerForModel gives GGUF's embedded vocab; openTokenizerPath finds files. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FormatError } from "../../lib/formats/errors.ts";
import { openGguf } from "../../lib/formats/gguf.ts";
import { openTokenizerFile, sniffTokenizer, tokenizerForModel } from "../../lib/tokenizers/open.ts";
import { openTokenizerPath } from "../../lib/tokenizers/open-node.ts";
import { fixture, readFixture } from "../helpers/fixtures.ts";
import { memorySource } from "../helpers/memory-source.ts";

const tokPath = await fixture("models/tok512.bin");
const ggufPath = await fixture("models/stories260K.gguf");
const binPath = await fixture("models/stories260K.bin");
const enc = (s: string) => new TextEncoder().encode(s);
/** A two-piece BPE tokenizer.json ("h", "i", "hi") without a template. */
const tinyJson = { model: { type: "BPE", vocab: { "<s>": 0, h: 1, i: 2, hi: 3 }, merges: [["h", "i"]] }, added_tokens: [{ id: 0, content: "<s>", special: true, normalized: false, lstrip: false, rstrip: false, single_word: false }] };

describe("openTokenizerFile", () => {
  it("sniffs JSON (after BOM/whitespace), GGUF magic and llama2.c", () => {
    expect(sniffTokenizer(enc("\ufeff \n{\"model\":{}}"))).toBe("hf");
    expect(sniffTokenizer(enc("GGUF...."))).toBe("gguf");
    expect(sniffTokenizer(Uint8Array.of(7, 0, 0, 0))).toBe("llama2c");
  });

  it("loads a tokenizer.json with its tokenizer_config.json (object or text)", async () => {
    const cfg = { add_bos_token: true, bos_token: "<s>" };
    for (const c of [cfg, JSON.stringify(cfg)]) {
      const tok = await openTokenizerFile(enc(JSON.stringify(tinyJson)), "tiny.json", { tokenizerConfig: c });
      expect(Array.from(tok.encode("hi"))).toEqual([0, 3]);
      expect(tok.decode([0, 3])).toBe("hi");
    }
    const err = await openTokenizerFile(enc("{"), "bad.json").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).file).toBe("bad.json");
  });

  it.skipIf(!tokPath || !ggufPath)("reads tok512.bin and a whole .gguf to the same ids", async () => {
    const bin = await openTokenizerFile(readFixture(tokPath!), "tok512.bin", { vocabSize: 512 });
    const gguf = await openTokenizerFile(readFixture(ggufPath!), "stories260K.gguf");
    expect(bin.name).toMatch(/llama2\.c/);
    expect(gguf.name).toMatch(/GGUF/);
    expect(Array.from(gguf.encode("Once upon a time"))).toEqual(Array.from(bin.encode("Once upon a time")));
  });

  it.skipIf(!tokPath)("passes a wrong vocab size through as a FormatError naming the file", async () => {
    const err = await openTokenizerFile(readFixture(tokPath!), "tok512.bin", { vocabSize: 600 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).message).toMatch(/^tok512\.bin: token 512 /);
  });
});

describe("tokenizerForModel", () => {
  it.skipIf(!ggufPath)("returns the embedded vocabulary of a GGUF model", async () => {
    const src = await openGguf(memorySource(readFixture(ggufPath!), "stories260K.gguf"));
    const tok = tokenizerForModel(src);
    expect(tok?.vocabSize).toBe(512);
    expect(Array.from(tok!.encode("Once upon"))).toEqual([1, 403, 407]);
    expect(tokenizerForModel({ ...src, format: "safetensors" })).toBeNull();
    expect(tokenizerForModel({ ...src, metadata: {} })).toBeNull();
  });
});

describe("openTokenizerPath", () => {
  it("finds tokenizer.json in a folder and reads the config beside it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "qltok-"));
    writeFileSync(join(dir, "tokenizer.json"), JSON.stringify(tinyJson));
    writeFileSync(join(dir, "tokenizer_config.json"), JSON.stringify({ add_bos_token: true, bos_token: "<s>" }));
    expect(Array.from((await openTokenizerPath(dir)).encode("hi"))).toEqual([0, 3]);
    expect(Array.from((await openTokenizerPath(join(dir, "tokenizer.json"), { bos: false })).encode("hi"))).toEqual([3]);
    await expect(openTokenizerPath(tmpdir() + "/does-not-exist-qltok")).rejects.toThrow();
  });
  it.skipIf(!binPath)("keeps model files out: stories260K.bin is not a tokenizer", async () => {
    await expect(openTokenizerFile(readFixture(binPath!), "stories260K.bin")).rejects.toBeInstanceOf(FormatError);
  });
});
