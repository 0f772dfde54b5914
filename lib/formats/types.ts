import type { DType } from "../tensor/dtypes.ts";

/**
 * Random access to the bytes of one file, wherever it lives (Node file handle,
 * browser File/Blob, HTTP by Range). Only the chunk fetcher differs per runtime.
 */
export interface ByteSource {
  /** path, URL or file name; used in every error message */
  readonly name: string;
  /** total size in bytes */
  readonly size: number;
  /**
   * Exactly `length` bytes starting at `offset`. Throws FormatError when the range
   * lies past the end of the file (a truncated file), never returns a short read.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Optional: exactly `dest.length` bytes starting at `offset`, written into `dest` (e.g. a view
   * of wasm memory or of a SharedArrayBuffer), same errors as `read`. Sources that can fill a
   * caller's buffer without an intermediate copy implement it; callers fall back to `read`.
   */
  readInto?(offset: number, dest: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** One tensor of a model file, named with Hugging Face Llama names (DESIGN.md). */
export interface TensorInfo {
  /** canonical name, e.g. `model.layers.0.self_attn.q_proj.weight` */
  name: string;
  /** the name inside the file (`blk.0.attn_q.weight`, `w1` layer 3, ...) */
  fileName: string;
  dtype: DType;
  /** PyTorch order, [rows, cols] for a linear weight [out, in] */
  shape: number[];
  numel: number;
  /** which ByteSource of the model holds it (shard index; 0 for single files) */
  shard: number;
  /** absolute offset of the first byte inside that shard */
  byteOffset: number;
  byteLength: number;
  /**
   * Axis order of a 2-D linear weight as stored: `out_in` (PyTorch/HF [out, in], the default
   * when absent) or `in_out` (stored transposed, e.g. an ONNX MatMul input [in, out]). `shape`
   * always describes the bytes as stored; per-channel statistics swap axes for `in_out`.
   */
  layout?: "out_in" | "in_out";
}

/** Architecture facts a reader could find (config.json, GGUF metadata, llama2.c header). */
export interface ModelConfig {
  architecture: string;
  dim?: number;
  hiddenDim?: number;
  nLayers?: number;
  nHeads?: number;
  nKvHeads?: number;
  /** explicit head size when it is not dim / nHeads (Qwen3, Gemma) */
  headDim?: number;
  vocabSize?: number;
  contextLength?: number;
  ropeTheta?: number;
  normEps?: number;
  tiedEmbeddings?: boolean;
}

export type ModelFormat = "safetensors" | "gguf" | "llama2c" | "onnx";

/**
 * A model file (or folder of shards) opened for reading. Headers are parsed, tensor
 * data is not read until asked for, and then only in bounded chunks.
 */
export interface TensorSource {
  readonly format: ModelFormat;
  /** what the user opened (path, URL, hf: id) */
  readonly name: string;
  readonly tensors: TensorInfo[];
  /** graph buffers that are not model tensors (an ONNX export's RoPE inv_freq), readable through readRaw */
  readonly buffers?: TensorInfo[];
  readonly config: ModelConfig;
  /** raw header metadata (config.json, GGUF key/values, ONNX producer...) as plain JSON */
  readonly metadata: Record<string, unknown>;
  /** one ByteSource per shard; `tensors[i].shard` indexes this */
  readonly shards: ByteSource[];
  /**
   * The tensor's raw bytes in order, as chunks of at most ~`chunkBytes` bytes. Each
   * chunk holds whole elements (whole blocks for quantized dtypes) and, when a row
   * fits, whole rows (rows = shape[0] x shape[-1] view of a 2-D+ tensor).
   */
  readRaw(t: TensorInfo, chunkBytes?: number): AsyncIterable<Uint8Array>;
  close(): Promise<void>;
}

/** Default chunk size: 4 MiB keeps a few chunks in flight even for 70B models. */
export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

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

/**
 * Where a model lies, as a runtime adapter found it: one opened file (its folder gives
 * config.json and ONNX external data) or a folder (its layout says which files to read).
 */
export type ModelLocation =
  | { kind: "file"; src: ByteSource; name?: string; sibling?: SiblingOpener }
  | { kind: "folder"; set: FileSet; name?: string; index?: string };

/** What a runtime adds to openModel: local paths (Node), and the Hub token of its environment. */
export interface ModelRuntime {
  /** the model at a local path: a folder, a shard index or one file */
  locate(path: string): Promise<ModelLocation>;
  /** the Hub token to send when no `token` option is given ($HF_TOKEN in Node) */
  hubToken?(): string | undefined;
}
