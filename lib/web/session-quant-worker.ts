/// <reference lib="webworker" />
/** Web Worker of session-quant.ts: decodes one weight and measures its RTN errors over the what-if grid. */
import { weightErrors, type WeightJob } from "./session-quant-core.ts";

const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = (e: MessageEvent<WeightJob>) => {
  try {
    scope.postMessage({ id: e.data.id, errors: weightErrors(e.data) });
  } catch (err) {
    scope.postMessage({ id: e.data.id, error: (err as Error).message });
  }
};
