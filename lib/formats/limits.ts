/**
 * Named limits for everything a model file can ask us to allocate or loop over.
 * Each is far above any real model and exists to bound memory and time on bad input.
 */
/** safetensors JSON header: real headers of 70B shards are a few MiB. */
export const MAX_HEADER_BYTES = 100 * 1024 * 1024;
/** tensors in one file: Llama-405B has ~1.1k tensors per model; MoE models ~20k. */
export const MAX_TENSOR_COUNT = 1_000_000;
/** GGUF metadata key/value pairs: real files have a few dozen (+ tokenizer arrays). */
export const MAX_KV_COUNT = 1_000_000;
/** Array length in GGUF metadata: tokenizer vocabularies reach ~256k; merges ~1M. */
export const MAX_ARRAY_LENGTH = 16 * 1024 * 1024;
/** A single string (name, metadata value). */
export const MAX_STRING_BYTES = 64 * 1024 * 1024;
/** Tensor rank: no real model tensor has more than 8 dimensions. */
export const MAX_RANK = 8;
/** One dimension: 2^40 elements is beyond any single weight axis. */
export const MAX_DIM = 2 ** 40;
/** Elements in one tensor (must stay exact in a double). */
export const MAX_NUMEL = 2 ** 50;
/** Shards in a sharded safetensors folder. */
export const MAX_SHARDS = 100_000;
/** Nesting depth for ONNX protobuf messages we descend into. */
export const MAX_PROTO_DEPTH = 64;
