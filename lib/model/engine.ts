/**
 * What the evaluator needs from a model: next-token logits for one window of tokens, run from an
 * empty cache. Implemented by the Llama engine (lib/model, FP32 reference and integer paths) and
 * by onnxruntime-web (lib/model/ort). The evaluator zips two engines' windows position by position
 * (FP32 and quantized), so a window's logits are yielded row by row and memory stays bounded by
 * one window whatever the length of the text.
 */
export interface LogitsEngine {
  /** short label for progress and errors, e.g. "llama W4A8" or "onnxruntime-web FP32" */
  readonly name: string;
  readonly vocabSize: number;
  /** the most input tokens one window may hold (the model's context length) */
  readonly contextLength: number;
  /**
   * Logits after each token of `tokens` (tokens.length rows of vocabSize floats), in order.
   * A yielded array may be reused by the engine for the next row: consume it before pulling
   * the next one. Throws on `signal` abort.
   */
  window(tokens: Int32Array, signal?: AbortSignal): AsyncIterable<Float32Array>;
  /** frees wasm memory or sessions; the engine is unusable afterwards */
  close(): Promise<void>;
}
