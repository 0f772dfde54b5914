/**
 * The what-if measurement of one weight, shared by the Web Worker (session-quant-worker.ts) and
 * Node. Kept apart from session-quant.ts, which creates the worker: a worker entry that imports
 * the module constructing it made Turbopack's build wait on itself forever.
 */
import { matrixQuantError } from "../quant/error.ts";
import { decodeToF32 } from "../tensor/decode.ts";
import type { DType } from "../tensor/dtypes.ts";
import { weightSpec, WHATIF_BITS, WHATIF_GROUP_SIZES } from "./analysis.ts";
import type { SpecError } from "./types.ts";

/** One weight to measure, as posted to the worker. */
export interface WeightJob { id: number; dtype: DType; shape: number[]; layout?: "out_in" | "in_out"; bytes: Uint8Array }

/** RTN errors of one weight over the what-if grid (runs in the worker; also callable in Node). */
export function weightErrors(job: Omit<WeightJob, "id">): SpecError[] {
  const x = decodeToF32(job.dtype, job.bytes);
  let [rows, cols] = [job.shape[0]!, job.shape[1]!];
  let w = x;
  if (job.layout === "in_out") { // stored [in, out] -> [out, in]
    w = new Float32Array(x.length);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) w[j * rows + i] = x[i * cols + j]!;
    [rows, cols] = [cols, rows];
  }
  const out: SpecError[] = [];
  for (const groupSize of WHATIF_GROUP_SIZES) {
    for (const bits of WHATIF_BITS) {
      const e = matrixQuantError(w, rows, cols, { bits, groupSize, sym: false });
      if (e.relMse !== null && e.sqnrDb !== null) out.push({ spec: weightSpec(bits, groupSize), relMse: e.relMse, sqnrDb: e.sqnrDb });
    }
  }
  return out;
}

