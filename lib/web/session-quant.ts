/**
 * What-if errors of a model opened in the browser: asymmetric RTN relative MSE and SQNR of every
 * quantized linear weight over the what-if grid (WHATIF_BITS x WHATIF_GROUP_SIZES), the same
 * numbers lib/demo/make.ts embeds for the demo. The main thread reads each weight's bytes and a
 * Web Worker (session-quant-worker.ts) decodes and measures them, so the page stays responsive.
 */
import { readTensorBytes } from "../formats/read-tensor.ts";
import type { TensorInfo, TensorSource } from "../formats/types.ts";
import type { WeightJob } from "./session-quant-core.ts";
import { isQuantizedLinear, type SpecQuantError } from "../quant/whatif.ts";

/**
 * Linear weights above this total are not measured in the browser (28 passes over each weight;
 * ~1 GB takes minutes on a laptop core): the what-if panel then says the grid is missing.
 */
export const MAX_WHATIF_BYTES = 256 * 1024 * 1024;

/**
 * Errors of every quantized linear weight of `source`, by tensor name; an empty record when the
 * weights exceed MAX_WHATIF_BYTES. `onProgress(done, total)` counts weights.
 */
export async function quantErrorsOf(
  source: TensorSource, signal: AbortSignal, onProgress?: (done: number, total: number, current: string) => void,
): Promise<Record<string, SpecQuantError[]>> {
  const weights = source.tensors.filter(isQuantizedLinear);
  if (weights.reduce((n, t) => n + t.byteLength, 0) > MAX_WHATIF_BYTES) return {};
  const worker = new Worker(new URL("./session-quant-worker.ts", import.meta.url), { type: "module" });
  const pending = new Map<number, { resolve: (e: SpecQuantError[]) => void; reject: (e: Error) => void }>();
  worker.onmessage = (e: MessageEvent<{ id: number; errors?: SpecQuantError[]; error?: string }>) => {
    const p = pending.get(e.data.id);
    pending.delete(e.data.id);
    if (e.data.error !== undefined) p?.reject(new Error(e.data.error));
    else p?.resolve(e.data.errors ?? []);
  };
  worker.onerror = (e) => pending.forEach((p) => p.reject(new Error(e.message || "the what-if worker failed to load")));
  const abort = () => pending.forEach((p) => p.reject(new DOMException("Cancelled", "AbortError")));
  signal.addEventListener("abort", abort);
  const out: Record<string, SpecQuantError[]> = {};
  try {
    for (const [i, t] of weights.entries()) {
      signal.throwIfAborted();
      onProgress?.(i, weights.length, t.name);
      const bytes = await readTensorBytes(source, t);
      const errors = await new Promise<SpecQuantError[]>((resolve, reject) => {
        pending.set(i, { resolve, reject });
        const job: WeightJob = { id: i, dtype: t.dtype, shape: t.shape, layout: t.layout, bytes };
        worker.postMessage(job, [bytes.buffer]);
      });
      if (errors.length) out[t.name] = errors;
    }
    onProgress?.(weights.length, weights.length, "");
    return out;
  } finally {
    signal.removeEventListener("abort", abort);
    worker.terminate();
  }
}
