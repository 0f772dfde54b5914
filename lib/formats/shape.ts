/**
 * The shape a tensor is shown with: a matrix stored [in, out] (an ONNX MatMul weight, layout
 * "in_out") as its [out, in] HF shape, the orientation statistics use (stats/engine/tensor-stats.ts),
 * so `inspect` and `stats` print the same shape for the same tensor.
 */
import type { TensorInfo } from "./types.ts";

/** [out, in] for a matrix stored in_out, else the stored shape. */
export function shapeOutIn(t: Pick<TensorInfo, "shape" | "layout">): number[] {
  return t.layout === "in_out" && t.shape.length === 2 ? [t.shape[1]!, t.shape[0]!] : [...t.shape];
}
