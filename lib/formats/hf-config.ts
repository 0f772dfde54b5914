/**
 * The small JSON files of the Hugging Face layout: config.json → ModelConfig, and a bounded
 * reader for config.json and model.safetensors.index.json beside a model.
 */
import { FormatError, checkCount } from "./errors.ts";
import { MAX_HEADER_BYTES } from "./limits.ts";
import { HttpStatusError } from "./source-http.ts";
import type { ByteSource, ModelConfig, SiblingOpener } from "./types.ts";

/** config.json and index.json are bounded like a safetensors header. */
export const MAX_JSON_BYTES = MAX_HEADER_BYTES;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** ModelConfig from a transformers config.json (LlamaForCausalLM keys; `text_config` of multimodal models). */
export function configFromHf(json: Record<string, unknown>): ModelConfig {
  const c = json["hidden_size"] === undefined && isObject(json["text_config"]) ? json["text_config"] : json;
  const archs = json["architectures"];
  const tied = c["tie_word_embeddings"] ?? json["tie_word_embeddings"];
  return {
    architecture: (Array.isArray(archs) && typeof archs[0] === "string" ? archs[0] : undefined)
      ?? (typeof json["model_type"] === "string" ? json["model_type"] : "unknown"),
    dim: num(c["hidden_size"]), hiddenDim: num(c["intermediate_size"] ?? c["ffn_dim"]), nLayers: num(c["num_hidden_layers"]),
    nHeads: num(c["num_attention_heads"]), nKvHeads: num(c["num_key_value_heads"] ?? c["num_attention_heads"]),
    vocabSize: num(c["vocab_size"]), contextLength: num(c["max_position_embeddings"]),
    ...(num(c["head_dim"]) !== undefined ? { headDim: num(c["head_dim"]) } : {}),
    ropeTheta: num(c["rope_theta"]), normEps: num(c["rms_norm_eps"]),
    tiedEmbeddings: typeof tied === "boolean" ? tied : undefined,
  };
}

/** Reads a small JSON file through `open`; null when absent (or refused: 4xx over HTTP). */
export async function readJson(open: SiblingOpener, file: string): Promise<Record<string, unknown> | null> {
  let src: ByteSource | null;
  try {
    src = await open(file);
  } catch (e) {
    if (e instanceof HttpStatusError && e.status >= 400 && e.status < 500) return null;
    throw e;
  }
  if (!src) return null;
  try {
    const n = checkCount(src.name, "size", src.size, MAX_JSON_BYTES);
    const text = new TextDecoder("utf-8", { fatal: true }).decode(await src.read(0, n));
    const json: unknown = JSON.parse(text);
    if (!isObject(json)) throw new FormatError(src.name, "JSON", "is not an object");
    return json;
  } catch (e) {
    if (e instanceof FormatError) throw e;
    throw new FormatError(src.name, "JSON", e instanceof SyntaxError ? `invalid JSON: ${e.message}` : "invalid UTF-8");
  } finally {
    await src.close();
  }
}
