/**
 * Tokenizers embedded in GGUF metadata (`tokenizer.ggml.*`, read by lib/formats/gguf.ts into
 * TensorSource.metadata). "llama" is SentencePiece BPE: the run.c algorithm over the GGUF
 * vocabulary ("▁" as the space, `<0xNN>` byte tokens for fallback, control tokens never
 * matched from text). Other models (gpt2 byte-level BPE) are not read yet.
 */
import { FormatError, checkCount } from "../../formats/errors.ts";
import { MAX_VOCAB_SIZE } from "./llama2c.ts";
import { byteOfPiece, spmTokenizer } from "./spm-bpe.ts";
import type { Tokenizer } from "./types.ts";

/** llama.cpp `llama_token_type`: the values this reader acts on. */
export const TOKEN_TYPE = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, USER_DEFINED: 4, UNUSED: 5, BYTE: 6 } as const;

/** `tokenizer.ggml.tokens`: an array of at most MAX_VOCAB_SIZE strings. */
export function ggufTokens(meta: Record<string, unknown>, file: string): string[] {
  const key = "tokenizer.ggml.tokens";
  const tokens = meta[key];
  if (!Array.isArray(tokens)) throw new FormatError(file, `metadata "${key}"`, tokens === undefined ? "missing" : "is not an array");
  checkCount(file, `metadata "${key}" array length`, tokens.length, MAX_VOCAB_SIZE);
  if (tokens.length === 0) throw new FormatError(file, `metadata "${key}"`, "is empty");
  tokens.forEach((t, i) => {
    if (typeof t !== "string") throw new FormatError(file, `metadata "${key}"`, `element ${i} is not a string`);
  });
  return tokens as string[];
}

/** An optional numeric array of `n` elements (`fill` when absent), e.g. scores or token types. */
export function ggufNumbers(meta: Record<string, unknown>, key: string, n: number, file: string, fill: number): number[] {
  const v = meta[key];
  if (v === undefined) return new Array<number>(n).fill(fill);
  if (!Array.isArray(v) || v.length !== n) {
    throw new FormatError(file, `metadata "${key}"`, `expected an array of ${n} numbers (one per token), got ${Array.isArray(v) ? v.length : typeof v}`);
  }
  v.forEach((x, i) => {
    if (typeof x !== "number" || Number.isNaN(x)) throw new FormatError(file, `metadata "${key}"`, `element ${i} is not a number`);
  });
  return v as number[];
}

/** A special token id: `fallback` when absent, null when it is out of range (converters write -1 / 2^32-1 for "none"). */
export function ggufId(meta: Record<string, unknown>, key: string, n: number, file: string, fallback: number | null): number | null {
  const v = meta[key];
  if (v === undefined) return fallback !== null && fallback < n ? fallback : null;
  if (typeof v !== "number" || !Number.isInteger(v)) throw new FormatError(file, `metadata "${key}"`, `${JSON.stringify(v)} is not an integer id`);
  return v >= 0 && v < n ? v : null;
}

/** The Tokenizer a GGUF file embeds, from its metadata; FormatError when it has none or an unsupported one. */
export function tokenizerFromGguf(metadata: Record<string, unknown>, fileName: string): Tokenizer {
  const model = metadata["tokenizer.ggml.model"];
  if (model === undefined) throw new FormatError(fileName, `metadata "tokenizer.ggml.model"`, "missing: the file embeds no tokenizer");
  if (model === "llama") return llamaFromGguf(metadata, fileName);
  throw new FormatError(fileName, `metadata "tokenizer.ggml.model"`, `${JSON.stringify(model)} is not supported (llama)`);
}

/** SentencePiece BPE ("llama"): defaults as llama.cpp (unk 0, bos 1, eos 2, dummy-prefix space on). */
function llamaFromGguf(meta: Record<string, unknown>, file: string): Tokenizer {
  const tokens = ggufTokens(meta, file);
  const n = tokens.length;
  const scores = ggufNumbers(meta, "tokenizer.ggml.scores", n, file, 0);
  const types = ggufNumbers(meta, "tokenizer.ggml.token_type", n, file, TOKEN_TYPE.NORMAL);
  const enc = new TextEncoder();
  const pieces = tokens.map((t) => enc.encode(t.replaceAll("\u2581", " ")));
  const byteOf = Int16Array.from(pieces, (p, i) => (types[i] === TOKEN_TYPE.BYTE || types[i] === TOKEN_TYPE.NORMAL ? byteOfPiece(p) : -1));
  const byteIds = new Int32Array(256).fill(-1);
  byteOf.forEach((b, id) => {
    if (b >= 0 && types[id] === TOKEN_TYPE.BYTE && byteIds[b] === -1) byteIds[b] = id;
  });
  byteOf.forEach((b, id) => {
    if (b >= 0 && byteIds[b] === -1) byteIds[b] = id; // files without token types
  });
  const control = new Set<number>();
  types.forEach((t, id) => {
    if (t === TOKEN_TYPE.CONTROL || t === TOKEN_TYPE.UNUSED) control.add(id);
  });
  const bos = ggufId(meta, "tokenizer.ggml.bos_token_id", n, file, 1);
  const eos = ggufId(meta, "tokenizer.ggml.eos_token_id", n, file, 2);
  for (const id of [bos, eos]) if (id !== null) control.add(id);
  const space = meta["tokenizer.ggml.add_space_prefix"];
  return spmTokenizer({
    name: `${file} (GGUF llama)`,
    pieces,
    scores: Float32Array.from(scores),
    byteIds,
    byteOf,
    control,
    bos,
    eos,
    unk: ggufId(meta, "tokenizer.ggml.unknown_token_id", n, file, 0),
    addSpacePrefix: space === undefined ? true : space === true,
  });
}
