/**
 * Hugging Face `tokenizer.json` (+ optional `tokenizer_config.json`) through
 * `@huggingface/tokenizers` (tokenizers.js). Text is always encoded without the library's
 * special tokens and BOS is prepended here, once: the id the post-processor would put
 * first (TemplateProcessing "<s> $A"), else `bos_token` when the config's `add_bos_token`
 * is true, else none. `add_bos_token: false` or our `bos` option override that. As in
 * transformers, added tokens written in the text (e.g. "<s>") are matched as those tokens.
 */
import { Tokenizer as HfTokenizer } from "@huggingface/tokenizers";
import { FormatError } from "../formats/errors.ts";
import type { Tokenizer } from "./types.ts";

/** Options of loadHfTokenizer. */
export interface HfTokenizerOptions {
  /** shown in messages; default "tokenizer.json" */
  name?: string;
  /** BOS: true = the config's/post-processor's, false = never, a token string or id = that one */
  bos?: boolean | string | number;
}

/** A special-token entry of tokenizer_config.json: a string or an AddedToken object. */
function tokenText(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (v && typeof v === "object" && typeof (v as { content?: unknown }).content === "string") return (v as { content: string }).content;
  return null;
}

/** Parses tokenizer.json text (or takes the parsed object); FormatError on bad JSON. */
function parseJson(json: string | object, name: string, field: string): Record<string, unknown> {
  let v: unknown = json;
  if (typeof json === "string") {
    try {
      v = JSON.parse(json);
    } catch (e) {
      throw new FormatError(name, field, `not JSON: ${(e as Error).message}`);
    }
  }
  if (!v || typeof v !== "object" || Array.isArray(v)) throw new FormatError(name, field, "is not a JSON object");
  return v as Record<string, unknown>;
}

/** A Tokenizer over a Hugging Face tokenizer.json; decoding skips special tokens (BOS/EOS print nothing, as in run.c). */
export function loadHfTokenizer(tokenizerJson: string | object, tokenizerConfig?: object, opts: HfTokenizerOptions | string = {}): Tokenizer {
  const o: HfTokenizerOptions = typeof opts === "string" ? { name: opts } : opts;
  const name = o.name ?? "tokenizer.json";
  const json = parseJson(tokenizerJson, name, "tokenizer.json");
  const config = (tokenizerConfig ?? {}) as Record<string, unknown>;
  const model = json.model as Record<string, unknown> | undefined;
  if (!model || typeof model !== "object") throw new FormatError(name, "model", "missing: not a tokenizer.json");
  if (!("vocab" in model)) throw new FormatError(name, "model.vocab", "missing");
  let hf: HfTokenizer;
  try {
    hf = new HfTokenizer({ added_tokens: [], normalizer: null, pre_tokenizer: null, post_processor: null, decoder: null, ...json }, config);
  } catch (e) {
    throw new FormatError(name, `model (${String(model.type ?? "?")})`, `tokenizers.js cannot load it: ${(e as Error).message}`);
  }
  const idOf = (t: string | null): number | null => (t === null ? null : hf.token_to_id(t) ?? null);

  // what the library's post-processor puts before the text, probed on one character
  const plain = hf.encode("a", { add_special_tokens: false }).ids;
  const full = hf.encode("a", { add_special_tokens: true }).ids;
  const templateBos = full.length > plain.length && full[0] !== plain[0] ? full[0]! : null;
  let bos: number | null;
  if (o.bos === false || (o.bos === undefined && config.add_bos_token === false)) bos = null;
  else if (typeof o.bos === "number") bos = o.bos;
  else if (typeof o.bos === "string") bos = idOf(o.bos);
  else bos = templateBos ?? (config.add_bos_token === true || o.bos === true ? idOf(tokenText(config.bos_token)) : null);
  if (o.bos !== undefined && o.bos !== false && bos === null) {
    throw new FormatError(name, "bos_token", `BOS ${JSON.stringify(o.bos)} is not in the vocabulary`);
  }
  const eos = idOf(tokenText(config.eos_token));
  let vocabSize = 0;
  for (const id of hf.get_vocab(true).values()) vocabSize = Math.max(vocabSize, id + 1);
  const cleanUp = config.clean_up_tokenization_spaces === true;

  return {
    name: `${name} (Hugging Face ${String(model.type ?? "tokenizer")})`,
    vocabSize,
    bos,
    eos,
    encode(text: string, eopts?: { bos?: boolean }): Int32Array {
      const ids = text.length > 0 ? hf.encode(text, { add_special_tokens: false }).ids : [];
      // tokenizers.js drops pieces missing from a vocab without unk_token/byte_fallback; an unk_token missing from the vocab gives undefined
      const bad = ids.findIndex((id) => typeof id !== "number");
      if (bad >= 0) throw new RangeError(`${name}: token ${bad} of the text is not in the vocabulary and its unk_token is not either`);
      if ((eopts?.bos ?? true) && bos !== null) ids.unshift(bos);
      return Int32Array.from(ids);
    },
    decode(ids: ArrayLike<number>): string {
      if (ids.length === 0) return "";
      return hf.decode(Array.from(ids), { skip_special_tokens: true, clean_up_tokenization_spaces: cleanUp });
    },
  };
}
