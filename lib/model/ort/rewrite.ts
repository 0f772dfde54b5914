/**
 * Weight pseudo-quantization by rewriting initializers in place: every 2-D float32 MatMul weight
 * that lib/formats/onnx-names.ts found (except lm_head and the embedding) is handed to the
 * caller's transform as [out, in] and written back over its own bytes, in a copy of the buffer
 * that holds it (model.onnx raw_data or an external data file). Same size, so the protobuf is
 * never re-encoded.
 */
import { transpose } from "../../tensor/matrix.ts";
import type { TensorInfo, TensorSource } from "../../formats/types.ts";
import { OrtEngineError } from "./errors.ts";

/** Replaces a weight [rows = out, cols = in]; null keeps it unchanged. */
export type WeightTransform = (name: string, w: Float32Array, rows: number, cols: number) => Float32Array | null;

/** The buffers a session is created from, after rewriting, and which tensors changed. */
export interface RewriteResult {
  /** index 0 = model.onnx, then one buffer per shard of the parsed source */
  buffers: Uint8Array[];
  /** HF names of the tensors the transform replaced, in graph order */
  rewritten: string[];
}

/** True for a linear weight the transform should see (not lm_head, not the embedding). */
export function isLinearWeight(t: TensorInfo, skip: Set<string>): boolean {
  return t.layout !== undefined && t.shape.length === 2 && t.dtype === "F32" && !skip.has(t.fileName);
}

/**
 * Runs `transform` over the linear weights of `source` whose bytes live in `buffers[t.shard]`
 * and returns the rewritten buffers (copied only when something in them changed).
 */
export function rewriteWeights(model: string, source: TensorSource, buffers: Uint8Array[], transform: WeightTransform): RewriteResult {
  // lm_head and the embedding are skipped by file name: tied models share one initializer
  const skip = new Set(source.tensors.filter((t) => t.name === "lm_head.weight" || t.name === "model.embed_tokens.weight").map((t) => t.fileName));
  const out = buffers.slice();
  const copied = new Set<number>();
  const seen = new Set<string>();
  const rewritten: string[] = [];
  for (const t of source.tensors) {
    if (!isLinearWeight(t, skip) || seen.has(t.fileName)) continue;
    seen.add(t.fileName);
    // values decoded from varints / unpacked floats have no byte range (shard 0, offset 0): leave them
    if (t.shard === 0 && t.byteOffset === 0) continue;
    const buf = out[t.shard];
    if (!buf || t.byteOffset + t.byteLength > buf.length) {
      throw new OrtEngineError(model, `tensor "${t.name}" lies outside the bytes given for ${source.shards[t.shard]?.name ?? `shard ${t.shard}`}`);
    }
    const stored = new Float32Array(buf.slice(t.byteOffset, t.byteOffset + t.byteLength).buffer);
    const [a, b] = t.shape as [number, number];
    const inOut = t.layout === "in_out";
    const rows = inOut ? b : a, cols = inOut ? a : b;
    const w = inOut ? transpose(stored, a, b) : stored;
    const q = transform(t.name, w, rows, cols);
    if (q === null) continue;
    if (!(q instanceof Float32Array) || q.length !== rows * cols) {
      throw new OrtEngineError(model, `transform of "${t.name}" returned ${q?.length ?? typeof q} values, expected a Float32Array of ${rows}x${cols}`);
    }
    const back = inOut ? transpose(q, rows, cols) : q;
    if (!copied.has(t.shard)) { out[t.shard] = buf.slice(); copied.add(t.shard); }
    out[t.shard]!.set(new Uint8Array(back.buffer, back.byteOffset, back.byteLength), t.byteOffset);
    rewritten.push(t.name);
  }
  return { buffers: out, rewritten };
}
