/**
 * GGUF `tokenizer.ggml.model = "gpt2"`: byte-level BPE over `tokenizer.ggml.merges`. The
 * metadata is rewritten as the tokenizer.json Hugging Face would ship for it and run through
 * tokenizers.js (hf.ts); `tokenizer.ggml.pre` picks the pre-tokenizer regex as llama.cpp does.
 * Control tokens are not matched from text and print nothing; user-defined ones are matched.
 */
import { FormatError, checkCount } from "../formats/errors.ts";
import { TOKEN_TYPE, ggufId, ggufNumbers, ggufTokens } from "./gguf-meta.ts";
import { loadHfTokenizer } from "./hf.ts";
import type { Tokenizer } from "./types.ts";

/** Most merges in one vocabulary: real ones have up to ~1M (GGUF arrays stop at 16M anyway). */
export const MAX_MERGES = 16 * 1024 * 1024;

const LLAMA3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const QWEN2 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
/** `tokenizer.ggml.pre` -> split regex (null: GPT-2's own, built into the ByteLevel pre-tokenizer); ignore_merges as llama.cpp. */
export const GGUF_PRE: Record<string, { regex: string | null; ignoreMerges: boolean }> = {
  "default": { regex: null, ignoreMerges: false },
  "gpt-2": { regex: null, ignoreMerges: false },
  "gpt2": { regex: null, ignoreMerges: false },
  "llama-bpe": { regex: LLAMA3, ignoreMerges: true },
  "llama3": { regex: LLAMA3, ignoreMerges: true },
  "qwen2": { regex: QWEN2, ignoreMerges: false },
};

/** The tokenizer.json equivalent of a GGUF "gpt2" vocabulary, for tokenizers.js. */
function tokenizerJsonOf(meta: Record<string, unknown>, file: string, tokens: string[], types: number[]): object {
  const key = "tokenizer.ggml.merges";
  const merges = meta[key];
  if (!Array.isArray(merges)) throw new FormatError(file, `metadata "${key}"`, merges === undefined ? "missing" : "is not an array");
  checkCount(file, `metadata "${key}" array length`, merges.length, MAX_MERGES);
  const pairs = merges.map((m, i) => {
    const parts = typeof m === "string" ? m.split(" ") : [];
    if (parts.length !== 2 || !parts[0] || !parts[1]) throw new FormatError(file, `metadata "${key}"`, `element ${i} ${JSON.stringify(m)} is not "left right"`);
    return parts;
  });
  const preName = meta["tokenizer.ggml.pre"] ?? "default";
  const pre = typeof preName === "string" ? GGUF_PRE[preName] : undefined;
  if (!pre) {
    throw new FormatError(file, `metadata "tokenizer.ggml.pre"`, `${JSON.stringify(preName)} is not supported (${Object.keys(GGUF_PRE).join(", ")})`);
  }
  const vocab: Record<string, number> = {};
  tokens.forEach((t, id) => { if (!(t in vocab)) vocab[t] = id; });
  const added = tokens.flatMap((content, id) => (types[id] === TOKEN_TYPE.USER_DEFINED
    ? [{ id, content, special: false, normalized: false, lstrip: false, rstrip: false, single_word: false }] : []));
  const byteLevel = { type: "ByteLevel", add_prefix_space: false, trim_offsets: false, use_regex: pre.regex === null };
  return {
    added_tokens: added,
    normalizer: null,
    pre_tokenizer: pre.regex === null ? byteLevel
      : { type: "Sequence", pretokenizers: [{ type: "Split", pattern: { Regex: pre.regex }, behavior: "Isolated", invert: false }, byteLevel] },
    post_processor: null,
    decoder: { type: "ByteLevel", add_prefix_space: false, trim_offsets: false, use_regex: true },
    model: { type: "BPE", vocab, merges: pairs, ignore_merges: pre.ignoreMerges, byte_fallback: false, fuse_unk: false, unk_token: null },
  };
}

/** Byte-level BPE from GGUF metadata; BOS added only when `tokenizer.ggml.add_bos_token` is true. */
export function gpt2FromGguf(meta: Record<string, unknown>, file: string): Tokenizer {
  const tokens = ggufTokens(meta, file);
  const n = tokens.length;
  const types = ggufNumbers(meta, "tokenizer.ggml.token_type", n, file, TOKEN_TYPE.NORMAL);
  const bos = ggufId(meta, "tokenizer.ggml.bos_token_id", n, file, null);
  const eos = ggufId(meta, "tokenizer.ggml.eos_token_id", n, file, null);
  const addBos = meta["tokenizer.ggml.add_bos_token"] === true && bos !== null;
  const hf = loadHfTokenizer(tokenizerJsonOf(meta, file, tokens, types), {}, { name: file, bos: addBos ? bos : false });
  const hidden = new Set<number>();
  types.forEach((t, id) => { if (t === TOKEN_TYPE.CONTROL || t === TOKEN_TYPE.UNUSED) hidden.add(id); });
  return {
    name: `${file} (GGUF gpt2${typeof meta["tokenizer.ggml.pre"] === "string" ? ` ${meta["tokenizer.ggml.pre"]}` : ""})`,
    vocabSize: n,
    bos: addBos ? bos : null,
    eos,
    encode: (text, opts) => hf.encode(text, opts),
    decode: (ids) => hf.decode(Array.from(ids).filter((id) => !hidden.has(id))),
  };
}
