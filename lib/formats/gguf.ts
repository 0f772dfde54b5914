/**
 * GGUF reader (llama.cpp model files, versions 2 and 3, little-endian), in the style of
 * huggingface.js `gguf.ts`: a streaming header parse over a ByteSource, every count and
 * length checked against a named limit before anything is allocated or looped over.
 * Layout (ggml `docs/gguf.md`):
 *
 *   u32 magic "GGUF" | u32 version | u64 tensor_count | u64 kv_count
 *   kv_count x { string key | u32 value_type | value }
 *   tensor_count x { string name | u32 n_dims | u64 ne[n_dims] | u32 ggml_type | u64 offset }
 *   padding to general.alignment (default 32) | tensor data (offsets relative to here)
 *
 * string = u64 length + UTF-8 bytes; array = u32 element type + u64 count + elements.
 * Tensor data is never read here: readRaw streams it in chunks on demand.
 */
import { BufferedReader } from "./buffered-reader.ts";
import { readTensorChunks } from "./chunks.ts";
import { checkCount, FormatError } from "./errors.ts";
import {
  MAX_ARRAY_LENGTH, MAX_DIM, MAX_KV_COUNT, MAX_NUMEL, MAX_RANK, MAX_STRING_BYTES, MAX_TENSOR_COUNT,
} from "./limits.ts";
import { ggufToHf } from "./names.ts";
import { checkUniqueNames } from "./unique.ts";
import type { ByteSource, ModelConfig, TensorInfo, TensorSource } from "./types.ts";
import { BLOCKS, type DType } from "../tensor/dtypes.ts";

/** "GGUF" read as a little-endian u32. */
export const GGUF_MAGIC = 0x46554747;
/** Versions this reader understands (v1 used 32-bit counts and is long obsolete). */
export const GGUF_VERSIONS = [2, 3];
/** Tensor data alignment when `general.alignment` is absent (ggml GGUF_DEFAULT_ALIGNMENT). */
export const GGUF_DEFAULT_ALIGNMENT = 32;
/** Largest accepted `general.alignment`: real files use 32 (or 64); bounds the padding. */
export const MAX_GGUF_ALIGNMENT = 1 << 20;
/**
 * Metadata array elements over the whole file, nested arrays included: a vocabulary of 256k
 * tokens with scores, types and 1M merges is ~2M; bounds the JS values (8-32 bytes each).
 */
export const MAX_GGUF_METADATA_ELEMENTS = 16 * 1024 * 1024;
/** Nesting of arrays inside metadata arrays: real files nest at most once. */
export const MAX_GGUF_ARRAY_DEPTH = 8;

/** ggml type ids (ggml.h `enum ggml_type`) that map to a quantlens DType. */
export const GGML_TYPES: Record<number, DType> = {
  0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 6: "Q5_0", 7: "Q5_1", 8: "Q8_0",
  10: "Q2_K", 11: "Q3_K", 12: "Q4_K", 13: "Q5_K", 14: "Q6_K",
  24: "I8", 25: "I16", 26: "I32", 27: "I64", 28: "F64", 30: "BF16",
};

/** ggml types that exist but are not decoded here, named for error messages. */
const GGML_UNSUPPORTED: Record<number, string> = {
  9: "Q8_1", 15: "Q8_K", 16: "IQ2_XXS", 17: "IQ2_XS", 18: "IQ3_XXS", 19: "IQ1_S", 20: "IQ4_NL",
  21: "IQ3_S", 22: "IQ2_S", 23: "IQ4_XS", 29: "IQ1_M", 34: "TQ1_0", 35: "TQ2_0", 39: "MXFP4",
};

/** GGUF metadata value types (gguf.h `enum gguf_type`). */
const enum ValueType {
  UINT8 = 0, INT8 = 1, UINT16 = 2, INT16 = 3, UINT32 = 4, INT32 = 5, FLOAT32 = 6,
  BOOL = 7, STRING = 8, ARRAY = 9, UINT64 = 10, INT64 = 11, FLOAT64 = 12,
}

/** Plain-JSON metadata value (u64/i64 become numbers when exact, else decimal strings). */
export type GgufValue = number | string | boolean | GgufValue[];

// ---------------------------------------------------------------- values

/** A u64-length-prefixed UTF-8 string, length bounded by MAX_STRING_BYTES. */
async function readString(r: BufferedReader, field: string): Promise<string> {
  const n = checkCount(r.src.name, `${field} length`, await r.u64n(`${field} length`), MAX_STRING_BYTES);
  return r.string(n, field);
}

/** A 64-bit integer as a JSON-safe value. */
function bigToJson(v: bigint): number | string {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

/** Byte size of the fixed-width value types (arrays of these are read in bulk). */
const FIXED_SIZE: Record<number, number> = {
  [ValueType.UINT8]: 1, [ValueType.INT8]: 1, [ValueType.UINT16]: 2, [ValueType.INT16]: 2, [ValueType.UINT32]: 4,
  [ValueType.INT32]: 4, [ValueType.FLOAT32]: 4, [ValueType.BOOL]: 1, [ValueType.UINT64]: 8, [ValueType.INT64]: 8,
  [ValueType.FLOAT64]: 8,
};
/** Elements decoded per bulk read of a fixed-width array (bounds one read to 8 MiB). */
const ARRAY_PIECE = 1 << 20;

/** An array of `n` fixed-width values, read in pieces of ARRAY_PIECE elements. */
async function readFixedArray(r: BufferedReader, t: number, n: number, field: string): Promise<GgufValue[]> {
  const size = FIXED_SIZE[t]!;
  const out: GgufValue[] = new Array<GgufValue>();
  for (let done = 0; done < n; done += ARRAY_PIECE) {
    const k = Math.min(ARRAY_PIECE, n - done);
    const b = await r.bytes(k * size, field);
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    for (let i = 0; i < k; i++) {
      const o = i * size;
      switch (t) {
        case ValueType.UINT8: out.push(dv.getUint8(o)); break;
        case ValueType.INT8: out.push(dv.getInt8(o)); break;
        case ValueType.UINT16: out.push(dv.getUint16(o, true)); break;
        case ValueType.INT16: out.push(dv.getInt16(o, true)); break;
        case ValueType.UINT32: out.push(dv.getUint32(o, true)); break;
        case ValueType.INT32: out.push(dv.getInt32(o, true)); break;
        case ValueType.FLOAT32: out.push(dv.getFloat32(o, true)); break;
        case ValueType.FLOAT64: out.push(dv.getFloat64(o, true)); break;
        case ValueType.UINT64: out.push(bigToJson(dv.getBigUint64(o, true))); break;
        case ValueType.INT64: out.push(bigToJson(dv.getBigInt64(o, true))); break;
        case ValueType.BOOL: {
          const v = dv.getUint8(o);
          if (v > 1) throw new FormatError(r.src.name, field, `bool value ${v} at index ${done + i} is not 0 or 1`);
          out.push(v === 1);
        }
      }
    }
  }
  return out;
}

/** One metadata value of type `t`; arrays recurse up to MAX_GGUF_ARRAY_DEPTH. */
async function readValue(r: BufferedReader, t: number, field: string, budget: { left: number }, depth = 0): Promise<GgufValue> {
  switch (t) {
    case ValueType.UINT8: return r.u8(field);
    case ValueType.INT8: return r.i8(field);
    case ValueType.UINT16: return r.u16(field);
    case ValueType.INT16: return r.i16(field);
    case ValueType.UINT32: return r.u32(field);
    case ValueType.INT32: return r.i32(field);
    case ValueType.FLOAT32: return r.f32(field);
    case ValueType.FLOAT64: return r.f64(field);
    case ValueType.UINT64: return bigToJson(await r.u64n(field));
    case ValueType.INT64: return bigToJson(await r.i64n(field));
    case ValueType.BOOL: {
      const b = await r.u8(field);
      if (b > 1) throw new FormatError(r.src.name, field, `bool value ${b} is not 0 or 1`);
      return b === 1;
    }
    case ValueType.STRING: return readString(r, field);
    case ValueType.ARRAY: {
      if (depth >= MAX_GGUF_ARRAY_DEPTH) {
        throw new FormatError(r.src.name, field, `arrays nested deeper than ${MAX_GGUF_ARRAY_DEPTH}`);
      }
      const et = await r.u32(`${field} element type`);
      const n = checkCount(r.src.name, `${field} array length`, await r.u64n(`${field} array length`), MAX_ARRAY_LENGTH);
      if (n > budget.left) {
        throw new FormatError(r.src.name, field, `metadata arrays hold more than ${MAX_GGUF_METADATA_ELEMENTS} elements in total (nested arrays included)`);
      }
      budget.left -= n;
      if (et in FIXED_SIZE) return readFixedArray(r, et, n, field);
      const out: GgufValue[] = [];
      // each element takes at least one byte: a count past the file end fails on the first bad read
      for (let i = 0; i < n; i++) out.push(await readValue(r, et, field, budget, depth + 1));
      return out;
    }
    default:
      throw new FormatError(r.src.name, field, `unknown metadata value type ${t}`);
  }
}

// ---------------------------------------------------------------- header

interface RawTensor { fileName: string; dims: number[]; type: number; offset: number }

/** Magic and version; rejects big-endian files and v1 with their own messages. */
async function readPreamble(r: BufferedReader): Promise<number> {
  const magic = await r.u32("magic");
  if (magic !== GGUF_MAGIC) {
    throw new FormatError(r.src.name, "magic", `0x${magic.toString(16).padStart(8, "0")} is not "GGUF" (0x46554747 little-endian)`);
  }
  const version = await r.u32("version");
  if (version > 0xffff && (version & 0xffff) === 0) {
    throw new FormatError(r.src.name, "version", `big-endian GGUF (version bytes ${version.toString(16)}) is not supported`);
  }
  if (version === 1) throw new FormatError(r.src.name, "version", "GGUF v1 is not supported (re-convert with a current llama.cpp)");
  if (!GGUF_VERSIONS.includes(version)) {
    throw new FormatError(r.src.name, "version", `unsupported GGUF version ${version} (expected ${GGUF_VERSIONS.join(" or ")})`);
  }
  return version;
}

/** One tensor info record; dims as numbers in ggml order (ne0 first). */
async function readTensorInfo(r: BufferedReader, i: number): Promise<RawTensor> {
  const file = r.src.name;
  const fileName = await readString(r, `tensor ${i} name`);
  const field = `tensor "${fileName}"`;
  const nDims = await r.u32(`${field} n_dims`);
  if (nDims < 1 || nDims > MAX_RANK) throw new FormatError(file, `${field} n_dims`, `${nDims} is outside [1, ${MAX_RANK}]`);
  const dims: number[] = [];
  for (let d = 0; d < nDims; d++) dims.push(checkCount(file, `${field} ne[${d}]`, await r.u64n(`${field} ne[${d}]`), MAX_DIM));
  const type = await r.u32(`${field} type`);
  const offset = checkCount(file, `${field} offset`, await r.u64n(`${field} offset`), Number.MAX_SAFE_INTEGER);
  return { fileName, dims, type, offset };
}

/** Validates one raw tensor against the data region and builds its TensorInfo. */
function toTensorInfo(src: ByteSource, t: RawTensor, dataStart: number, alignment: number): TensorInfo {
  const field = `tensor "${t.fileName}"`;
  const dtype = GGML_TYPES[t.type];
  if (!dtype) {
    const known = GGML_UNSUPPORTED[t.type];
    throw new FormatError(src.name, `${field} type`,
      known ? `ggml type ${known} (${t.type}) is not supported` : `unknown ggml type ${t.type}`);
  }
  const block = BLOCKS[dtype];
  if (t.dims[0]! % block.elements !== 0) {
    throw new FormatError(src.name, `${field} ne[0]`, `${t.dims[0]} is not a multiple of the ${dtype} block size ${block.elements}`);
  }
  let numel = 1;
  for (const d of t.dims) numel *= d;
  checkCount(src.name, `${field} element count`, numel, MAX_NUMEL);
  if (t.offset % alignment !== 0) {
    throw new FormatError(src.name, `${field} offset`, `${t.offset} is not a multiple of the alignment ${alignment}`);
  }
  const byteLength = (numel / block.elements) * block.bytes;
  const byteOffset = dataStart + t.offset;
  if (byteOffset + byteLength > src.size) {
    throw new FormatError(src.name, `${field} offset`, `data [${byteOffset}, ${byteOffset + byteLength}) ends past the file size ${src.size}`);
  }
  return {
    name: ggufToHf(t.fileName), fileName: t.fileName, dtype,
    shape: [...t.dims].reverse(), // ggml ne0 is the fastest axis: PyTorch order is [ne1, ne0]
    numel, shard: 0, byteOffset, byteLength,
  };
}

/** Throws when two tensors' byte ranges overlap. */
function checkNoOverlap(file: string, tensors: TensorInfo[]): void {
  const sorted = [...tensors].sort((a, b) => a.byteOffset - b.byteOffset);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!, cur = sorted[i]!;
    if (cur.byteOffset < prev.byteOffset + prev.byteLength) {
      throw new FormatError(file, `tensor "${cur.fileName}" offset`,
        `data at ${cur.byteOffset} overlaps tensor "${prev.fileName}" [${prev.byteOffset}, ${prev.byteOffset + prev.byteLength})`);
    }
  }
}

// ---------------------------------------------------------------- config

/** ModelConfig from `{arch}.*` keys (llama.cpp LLM_KV names). */
function configOf(meta: Record<string, GgufValue>, tied: boolean): ModelConfig {
  const arch = typeof meta["general.architecture"] === "string" ? meta["general.architecture"] : "unknown";
  const num = (k: string): number | undefined => {
    const v = meta[`${arch}.${k}`];
    return typeof v === "number" ? v : undefined;
  };
  const tokens = meta["tokenizer.ggml.tokens"];
  return {
    architecture: arch,
    dim: num("embedding_length"),
    hiddenDim: num("feed_forward_length"),
    nLayers: num("block_count"),
    nHeads: num("attention.head_count"),
    nKvHeads: num("attention.head_count_kv") ?? num("attention.head_count"),
    vocabSize: Array.isArray(tokens) ? tokens.length : num("vocab_size"),
    contextLength: num("context_length"),
    ropeTheta: num("rope.freq_base"),
    normEps: num("attention.layer_norm_rms_epsilon"),
    tiedEmbeddings: tied,
  };
}

// ---------------------------------------------------------------- open

/** Parses a GGUF v2/v3 header from `src`; tensor data is read later through readRaw. */
export async function openGguf(src: ByteSource, opts: { name?: string } = {}): Promise<TensorSource> {
  const r = new BufferedReader(src);
  const version = await readPreamble(r);
  const tensorCount = checkCount(src.name, "tensor_count", await r.u64n("tensor_count"), MAX_TENSOR_COUNT);
  const kvCount = checkCount(src.name, "kv_count", await r.u64n("kv_count"), MAX_KV_COUNT);

  const meta: Record<string, GgufValue> = Object.create(null); // a key "__proto__" stays a plain key
  const budget = { left: MAX_GGUF_METADATA_ELEMENTS }; // shared by every array of the file
  for (let i = 0; i < kvCount; i++) {
    const key = await readString(r, `kv ${i} key`);
    if (Object.hasOwn(meta, key)) throw new FormatError(src.name, `metadata "${key}"`, "is listed twice");
    const type = await r.u32(`metadata "${key}" type`);
    meta[key] = await readValue(r, type, `metadata "${key}"`, budget);
  }
  const alignment = meta["general.alignment"] ?? GGUF_DEFAULT_ALIGNMENT;
  if (typeof alignment !== "number" || alignment < 1 || alignment > MAX_GGUF_ALIGNMENT || (alignment & (alignment - 1)) !== 0) {
    throw new FormatError(src.name, "general.alignment", `${String(alignment)} is not a power of two in [1, ${MAX_GGUF_ALIGNMENT}]`);
  }

  const raw: RawTensor[] = [];
  for (let i = 0; i < tensorCount; i++) raw.push(await readTensorInfo(r, i));
  const dataStart = Math.ceil(r.offset / alignment) * alignment;
  if (dataStart > src.size) throw new FormatError(src.name, "tensor data", `starts at ${dataStart}, past the file size ${src.size}`);

  const tensors = raw.map((t) => toTensorInfo(src, t, dataStart, alignment));
  checkUniqueNames(src.name, tensors);
  checkNoOverlap(src.name, tensors);
  const embed = tensors.find((t) => t.name === "model.embed_tokens.weight");
  const tied = !tensors.some((t) => t.name === "lm_head.weight") && embed !== undefined;
  if (tied) tensors.push({ ...embed, name: "lm_head.weight" }); // tied: same bytes as the embedding (DESIGN.md)

  return {
    format: "gguf",
    name: opts.name ?? src.name,
    tensors,
    config: configOf(meta, tied),
    metadata: { ...meta, "gguf.version": version, "gguf.alignment": alignment, "gguf.data_offset": dataStart },
    shards: [src],
    readRaw: (t, chunkBytes) => readTensorChunks(src, t, chunkBytes),
    close: () => src.close(),
  };
}
