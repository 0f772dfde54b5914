/**
 * Choosing a tokenizer reader by content, browser-safe (no node: imports; see open-node.ts
 * for paths): JSON (`{` after optional BOM/whitespace) is a Hugging Face tokenizer.json,
 * "GGUF" magic is a GGUF file whose embedded vocabulary is used, anything else is a
 * llama2.c tokenizer file. tokenizerForModel gives a model file's own tokenizer (GGUF).
 */
import { FormatError } from "../formats/errors.ts";
import { openGguf } from "../formats/gguf.ts";
import { blobSource } from "../formats/source-blob.ts";
import type { TensorSource } from "../formats/types.ts";
import { tokenizerFromGguf } from "./gguf.ts";
import { loadHfTokenizer } from "./hf.ts";
import { parseLlama2cTokenizer } from "./llama2c.ts";
import type { Tokenizer } from "./types.ts";

/** Options of openTokenizerFile. */
export interface OpenTokenizerOptions {
  /** the model header's vocab size: how many ids a llama2.c file holds (else read to its end) */
  vocabSize?: number;
  /** tokenizer_config.json beside a tokenizer.json (object or its text): BOS/EOS, add_bos_token */
  tokenizerConfig?: object | string;
  /** HF only: BOS override (see HfTokenizerOptions.bos) */
  bos?: boolean | string | number;
}

/** Which reader `bytes` need: "hf" (JSON), "gguf" (magic) or "llama2c" (the rest). */
export function sniffTokenizer(bytes: Uint8Array): "hf" | "gguf" | "llama2c" {
  if (bytes.length >= 4 && bytes[0] === 0x47 && bytes[1] === 0x47 && bytes[2] === 0x55 && bytes[3] === 0x46) return "gguf";
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return bytes[i] === 0x7b ? "hf" : "llama2c";
}

/** A Tokenizer from a tokenizer file's bytes, reader chosen by content (sniffTokenizer). */
export async function openTokenizerFile(bytes: Uint8Array, fileName: string, opts: OpenTokenizerOptions = {}): Promise<Tokenizer> {
  const kind = sniffTokenizer(bytes);
  if (kind === "llama2c") return parseLlama2cTokenizer(bytes, fileName, opts.vocabSize);
  if (kind === "gguf") {
    const part = bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : bytes.slice(); // Blob refuses shared memory
    const src = await openGguf(blobSource(new Blob([part]), fileName));
    return tokenizerFromGguf(src.metadata, fileName);
  }
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  let config = opts.tokenizerConfig;
  if (typeof config === "string") {
    try {
      config = JSON.parse(config) as object;
    } catch (e) {
      throw new FormatError(fileName, "tokenizer_config.json", `not JSON: ${(e as Error).message}`);
    }
  }
  return loadHfTokenizer(text, config, { name: fileName, bos: opts.bos });
}

/** The tokenizer a model file embeds (GGUF `tokenizer.ggml.*`), or null when it has none. */
export function tokenizerForModel(source: TensorSource): Tokenizer | null {
  if (source.format !== "gguf" || source.metadata["tokenizer.ggml.model"] === undefined) return null;
  return tokenizerFromGguf(source.metadata, source.name);
}
