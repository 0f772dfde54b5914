/**
 * Runtime-neutral model opening: one file by magic and extension, or a FileSet (anything
 * folder-like) by the Hugging Face layout. Readers for GGUF, llama2.c and ONNX are
 * imported lazily so a page that opens safetensors does not load them.
 */
import { FormatError, checkCount } from "./errors.ts";
import { MAX_HEADER_BYTES, MAX_SHARDS } from "./limits.ts";
import { openSafetensors } from "./safetensors.ts";
import { HttpStatusError } from "./source-http.ts";
import type { ByteSource, ModelConfig, TensorSource } from "./types.ts";

/** Something folder-like: a local folder, picked Files, a Hub repo, a URL directory. */
export interface FileSet {
  /** shown in errors and used as the model name */
  readonly name: string;
  /** base names of the files, when the place can be listed (URLs cannot) */
  list?(): Promise<string[]>;
  /** opens a file by relative path, or null when there is none */
  open(file: string): Promise<ByteSource | null>;
}

/** Opens a file next to the current one, or null when absent. */
export type SiblingOpener = (file: string) => Promise<ByteSource | null>;

/** config.json and index.json are bounded like a safetensors header. */
export const MAX_JSON_BYTES = MAX_HEADER_BYTES;
const GGUF_MAGIC_BYTES = [0x47, 0x47, 0x55, 0x46]; // "GGUF"
const JSON_OPEN_BRACE = 0x7b;

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
    dim: num(c["hidden_size"]), hiddenDim: num(c["intermediate_size"]), nLayers: num(c["num_hidden_layers"]),
    nHeads: num(c["num_attention_heads"]), nKvHeads: num(c["num_key_value_heads"] ?? c["num_attention_heads"]),
    vocabSize: num(c["vocab_size"]), contextLength: num(c["max_position_embeddings"]),
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

export interface OpenFileOptions {
  /** what the user opened (defaults to the file's name) */
  name?: string;
  /** opens files beside this one: config.json, ONNX external data */
  sibling?: SiblingOpener;
  /** config.json already read by the caller */
  configJson?: Record<string, unknown> | null;
}

const extOf = (name: string) => /\.([A-Za-z0-9]+)(?:[?#].*)?$/.exec(name)?.[1]?.toLowerCase() ?? "";

/** Opens one model file: GGUF by magic, else .onnx, safetensors (extension or header shape), llama2.c .bin. */
export async function openFile(src: ByteSource, opts: OpenFileOptions = {}): Promise<TensorSource> {
  const name = opts.name ?? src.name;
  try {
    const head = await src.read(0, Math.min(9, src.size));
    const ext = extOf(src.name);
    if (GGUF_MAGIC_BYTES.every((b, i) => head[i] === b)) return await (await import("./gguf.ts")).openGguf(src, { name });
    if (ext === "onnx") {
      const resolveExternal = async (location: string) => {
        const s = opts.sibling ? await opts.sibling(location) : null;
        if (!s) throw new FormatError(src.name, `external data "${location}"`, "not found next to the model");
        return s;
      };
      return await (await import("./onnx.ts")).openOnnx(src, { name, resolveExternal });
    }
    const n = head.length === 9 ? new DataView(head.buffer, head.byteOffset).getBigUint64(0, true) : -1n;
    if (ext === "safetensors" || (n > 1n && 8n + n <= BigInt(src.size) && head[8] === JSON_OPEN_BRACE)) {
      const json = opts.configJson !== undefined ? opts.configJson : opts.sibling ? await readJson(opts.sibling, "config.json") : null;
      return await openSafetensors(src, { name, config: json ? configFromHf(json) : undefined, metadata: json ? { config: json } : {} });
    }
    if (ext === "bin") return await (await import("./llama2c.ts")).openLlama2c(src, { name });
    throw new FormatError(src.name, "format", "not a model file quantlens reads (.safetensors, .gguf, llama2.c .bin, .onnx)");
  } catch (e) {
    await src.close().catch(() => undefined);
    throw e;
  }
}
