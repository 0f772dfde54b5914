/** Helpers of the onnxruntime-web engine tests: collect a window, argmax. */
import type { LogitsEngine } from "../../lib/model/engine.ts";

/** All rows of one window, copied. */
export async function collect(engine: LogitsEngine, tokens: Int32Array, signal?: AbortSignal): Promise<Float32Array[]> {
  const rows: Float32Array[] = [];
  for await (const row of engine.window(tokens, signal)) rows.push(row.slice());
  return rows;
}

/** Index of the largest value (first on ties). */
export function argmax(x: Float32Array): number {
  let best = 0;
  for (let i = 1; i < x.length; i++) if (x[i]! > x[best]!) best = i;
  return best;
}
