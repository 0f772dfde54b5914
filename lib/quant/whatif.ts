/**
 * The what-if grid: asymmetric RTN relative MSE and SQNR of every quantized linear weight over
 * bits x group sizes, measured the same way for the embedded demo (lib/demo/make.ts), a model
 * opened in the browser (lib/web, in a Web Worker) and the CLI.
 */
import { moduleOf, QUANTIZED_KINDS } from "../formats/names.ts";
import type { TensorInfo } from "../formats/types.ts";
import { decodeToF32 } from "../tensor/decode.ts";
import type { DType } from "../tensor/dtypes.ts";
import { transpose } from "../tensor/matrix.ts";
import { matrixQuantError } from "./error.ts";
import { formatSpec, type QuantMethod } from "./spec.ts";
import type { Bits } from "./types.ts";

/** Bits and group sizes of the what-if grid precomputed for linear weights (-1: one group per row). */
export const WHATIF_BITS = [2, 3, 4, 5, 6, 7, 8] as const;
export const WHATIF_GROUP_SIZES = [32, 64, 128, -1] as const;

/** Relative MSE and SQNR (dB) of one tensor under one weight spec (e.g. "W4-g128"). */
export interface SpecQuantError { spec: string; relMse: number; sqnrDb: number }

/** Linear weights that weight quantization touches: every linear layer except lm_head (DESIGN.md). */
export const QUANTIZED_MODULES = QUANTIZED_KINDS;

/** 2-D weights of the linear layers weight quantization touches (lm_head excluded, DESIGN.md). */
export function isQuantizedLinear(t: Pick<TensorInfo, "name" | "shape">): boolean {
  return t.shape.length === 2 && (QUANTIZED_MODULES as readonly string[]).includes(moduleOf(t.name));
}

/** Canonical spec text of asymmetric weight-only quantization: (4, 128) -> "W4", (3, -1, "awq") -> "W3-g-1-awq". */
export function weightSpec(bits: number, groupSize: number, method: QuantMethod = "rtn"): string {
  return formatSpec({ weight: { bits: bits as Bits, groupSize, sym: false }, act: null, kv: null, method, float: null });
}

/** A stored weight decoded to a row-major [out, in] f32 matrix (a weight stored [in, out] is transposed). */
export function weightMatrix(
  dtype: DType, shape: readonly number[], bytes: Uint8Array, layout?: TensorInfo["layout"],
): { w: Float32Array; rows: number; cols: number } {
  const x = decodeToF32(dtype, bytes);
  const [r, c] = [shape[0]!, shape[1]!];
  return layout === "in_out" ? { w: transpose(x, r, c), rows: c, cols: r } : { w: x, rows: r, cols: c };
}

/** RTN errors (asymmetric) of one [rows, cols] weight over the what-if grid: bits x group sizes. */
export function whatifErrors(w: Float32Array, rows: number, cols: number): SpecQuantError[] {
  const out: SpecQuantError[] = [];
  for (const groupSize of WHATIF_GROUP_SIZES) {
    for (const bits of WHATIF_BITS) {
      const e = matrixQuantError(w, rows, cols, { bits, groupSize, sym: false });
      // an all-zero weight has no ratio to report
      if (e.relMse !== null && e.sqnrDb !== null) out.push({ spec: weightSpec(bits, groupSize), relMse: e.relMse, sqnrDb: e.sqnrDb });
    }
  }
  return out;
}
