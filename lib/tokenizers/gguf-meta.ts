/** Typed, checked reads of GGUF `tokenizer.ggml.*` metadata values (FormatError names the key). */
import { FormatError, checkCount } from "../formats/errors.ts";
import { MAX_VOCAB_SIZE } from "./llama2c.ts";

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
