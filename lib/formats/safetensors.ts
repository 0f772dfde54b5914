/**
 * safetensors reader (https://github.com/huggingface/safetensors, format in its README):
 * u64 little-endian header length N, N bytes of UTF-8 JSON
 * `{ "__metadata__": {..}, "<name>": { "dtype", "shape", "data_offsets": [begin, end] } }`,
 * then the data; offsets are relative to byte 8 + N. One file or many shards.
 * Trust boundary: every field is checked against the named limits before use.
 */
import type { DType } from "../tensor/dtypes.ts";
import { BLOCKS } from "../tensor/dtypes.ts";
import { BufferedReader } from "./buffered-reader.ts";
import { readTensorChunks } from "./chunks.ts";
import { FormatError, checkCount } from "./errors.ts";
import { MAX_DIM, MAX_HEADER_BYTES, MAX_NUMEL, MAX_RANK, MAX_TENSOR_COUNT } from "./limits.ts";
import { layerOf } from "./names.ts";
import type { ByteSource, ModelConfig, TensorInfo, TensorSource } from "./types.ts";
import { maxOf } from "../tensor/extent.ts";
import { duplicateTopLevelKey } from "./unique.ts";

/** safetensors dtypes quantlens reads (the upstream names are ours too). */
export const SAFETENSORS_DTYPES: readonly DType[] = ["F64", "F32", "F16", "BF16", "I8", "U8", "I16", "I32", "I64"];

/** The tensors and `__metadata__` of one safetensors file. */
export interface SafetensorsHeader { tensors: TensorInfo[]; metadata: Record<string, unknown> }

const utf8 = new TextDecoder("utf-8", { fatal: true });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Reads and validates the header of one file; `shard` is stored in each TensorInfo. */
export async function parseSafetensorsHeader(src: ByteSource, shard = 0): Promise<SafetensorsHeader> {
  const file = src.name;
  const r = new BufferedReader(src, 0, 8);
  const headerLen = checkCount(file, "header length", await r.u64n("header length"),
    Math.min(MAX_HEADER_BYTES, Math.max(0, src.size - 8)), "past the end of the file or above MAX_HEADER_BYTES");
  let json: unknown;
  let text: string;
  try {
    text = utf8.decode(await src.read(8, headerLen));
    json = JSON.parse(text);
  } catch (e) {
    if (e instanceof FormatError) throw e;
    throw new FormatError(file, "header", e instanceof SyntaxError ? `invalid JSON: ${e.message}` : "invalid UTF-8");
  }
  if (!isObject(json)) throw new FormatError(file, "header", "is not a JSON object");
  const dup = duplicateTopLevelKey(text); // JSON.parse kept only the last of them
  if (dup !== null) throw new FormatError(file, `tensor "${dup}"`, "is listed twice in the header");
  const dataStart = 8 + headerLen;
  const dataSize = src.size - dataStart;
  const entries = Object.entries(json).filter(([k]) => k !== "__metadata__");
  checkCount(file, "tensor count", entries.length, MAX_TENSOR_COUNT);
  const meta = json["__metadata__"] ?? {};
  if (!isObject(meta)) throw new FormatError(file, "__metadata__", "is not a JSON object");

  const tensors = entries.map(([name, v]) => parseEntry(file, name, v, shard, dataStart, dataSize));
  // Sorted by offset (file order); tensors must not share bytes.
  tensors.sort((a, b) => a.byteOffset - b.byteOffset);
  let prev: TensorInfo | null = null;
  for (const t of tensors) {
    if (t.byteLength === 0) continue;
    if (prev && t.byteOffset < prev.byteOffset + prev.byteLength) {
      throw new FormatError(file, `tensor "${t.name}" data_offsets`, `overlaps tensor "${prev.name}"`);
    }
    prev = t;
  }
  return { tensors, metadata: meta };
}

function parseEntry(file: string, name: string, v: unknown, shard: number, dataStart: number, dataSize: number): TensorInfo {
  const where = `tensor "${name}"`;
  if (!isObject(v)) throw new FormatError(file, where, "is not a JSON object");
  const dtype = v["dtype"];
  if (typeof dtype !== "string" || !(SAFETENSORS_DTYPES as readonly string[]).includes(dtype)) {
    throw new FormatError(file, `${where} dtype`, `unsupported dtype ${JSON.stringify(dtype)} (expected one of ${SAFETENSORS_DTYPES.join(", ")})`);
  }
  const shape = v["shape"];
  if (!Array.isArray(shape)) throw new FormatError(file, `${where} shape`, "is not an array");
  checkCount(file, `${where} shape rank`, shape.length, MAX_RANK);
  let numel = 1;
  for (const d of shape) {
    numel *= checkCount(file, `${where} shape`, typeof d === "number" ? d : NaN, MAX_DIM);
    if (numel > MAX_NUMEL) throw new FormatError(file, `${where} shape`, `[${shape.join(", ")}] has more than MAX_NUMEL elements`);
  }
  const offs = v["data_offsets"];
  if (!Array.isArray(offs) || offs.length !== 2) throw new FormatError(file, `${where} data_offsets`, "is not a [begin, end] pair");
  const [begin, end] = offs.map((o) => checkCount(file, `${where} data_offsets`, typeof o === "number" ? o : NaN, dataSize,
    `data section is ${dataSize} bytes`)) as [number, number];
  const byteLength = numel * BLOCKS[dtype as DType].bytes;
  if (end < begin || end - begin !== byteLength) {
    throw new FormatError(file, `${where} data_offsets`,
      `[${begin}, ${end}] holds ${end - begin} bytes, but ${dtype} [${shape.join(", ")}] needs ${byteLength}`);
  }
  return { name, fileName: name, dtype: dtype as DType, shape: shape as number[], numel, shard, byteOffset: dataStart + begin, byteLength };
}

export interface SafetensorsOptions {
  /** what the user opened (defaults to the first shard's name) */
  name?: string;
  /** from config.json; without it a few facts are inferred from tensor shapes */
  config?: ModelConfig;
  /** extra raw metadata to expose (config.json, the shard index) */
  metadata?: Record<string, unknown>;
}

/** Architecture facts from tensor shapes alone (no config.json). */
export function inferConfig(tensors: TensorInfo[]): ModelConfig {
  const get = (n: string) => tensors.find((t) => t.name === n);
  const embed = get("model.embed_tokens.weight");
  const gate = get("model.layers.0.mlp.gate_proj.weight");
  const layers = tensors.map((t) => layerOf(t.name)).filter((l): l is number => l !== null);
  const llama = tensors.some((t) => t.name.endsWith("self_attn.q_proj.weight"));
  return {
    architecture: llama ? "llama" : "unknown",
    dim: embed?.shape[1], vocabSize: embed?.shape[0], hiddenDim: gate?.shape[0],
    nLayers: layers.length ? maxOf(layers) + 1 : undefined,
    tiedEmbeddings: llama && embed && !get("lm_head.weight") ? true : undefined, // a Llama without lm_head shares it
  };
}

/** Opens one safetensors file or the shards of one model; tied lm_head is added as an alias. */
export async function openSafetensors(sources: ByteSource[] | ByteSource, opts: SafetensorsOptions = {}): Promise<TensorSource> {
  const shards = Array.isArray(sources) ? sources : [sources];
  if (shards.length === 0) throw new FormatError(opts.name ?? "safetensors", "shards", "no file given");
  const headers = await Promise.all(shards.map((s, i) => parseSafetensorsHeader(s, i)));
  const tensors: TensorInfo[] = [];
  const seen = new Map<string, string>();
  for (const [i, h] of headers.entries()) {
    for (const t of h.tensors) {
      const other = seen.get(t.name);
      if (other !== undefined) throw new FormatError(shards[i]!.name, `tensor "${t.name}"`, `also in ${other}`);
      seen.set(t.name, shards[i]!.name);
      tensors.push(t);
    }
  }
  const config = opts.config ?? inferConfig(tensors);
  // Llama-style or OPT's decoder embedding
  const embed = tensors.find((t) => t.name === "model.embed_tokens.weight") ?? tensors.find((t) => t.name === "model.decoder.embed_tokens.weight");
  if (config.tiedEmbeddings && embed && !seen.has("lm_head.weight")) {
    tensors.push({ ...embed, name: "lm_head.weight", shape: [...embed.shape] }); // same bytes as the embedding
  }
  return {
    format: "safetensors",
    name: opts.name ?? shards[0]!.name,
    tensors, config, shards,
    metadata: { __metadata__: headers[0]!.metadata, ...opts.metadata },
    readRaw: (t: TensorInfo, chunkBytes?: number) => readTensorChunks(shards[t.shard]!, t, chunkBytes),
    async close() {
      await Promise.all(shards.map((s) => s.close()));
    },
  };
}
