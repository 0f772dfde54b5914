/**
 * The what-if measurement of one weight, shared by the Web Worker (session-quant-worker.ts) and
 * Node. Kept apart from session-quant.ts, which creates the worker: a worker entry that imports
 * the module constructing it made Turbopack's build wait on itself forever.
 */
import type { DType } from "../tensor/dtypes.ts";
import { weightMatrix, whatifErrors, type SpecQuantError } from "../quant/whatif.ts";

/** One weight to measure, as posted to the worker. */
export interface WeightJob { id: number; dtype: DType; shape: number[]; layout?: "out_in" | "in_out"; bytes: Uint8Array }

/** RTN errors of one weight over the what-if grid (runs in the worker; also callable in Node). */
export function weightErrors(job: Omit<WeightJob, "id">): SpecQuantError[] {
  const { w, rows, cols } = weightMatrix(job.dtype, job.shape, job.bytes, job.layout);
  return whatifErrors(w, rows, cols);
}
