/**
 * A full garbage collection in Node without the --expose-gc flag: V8's flag set at run time, then
 * the `gc` a fresh context gets. The evaluation calls it while the FP32 model takes the weights
 * over (lib/model/llama.ts buildModel `collect`): dropped float32 arrays are freed only at a
 * collection, which wasm memory growth never triggers, so without it both copies peak together.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let gc: (() => void) | null = null;

/** Runs a full collection (the function is made once). */
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as () => void;
  }
  gc();
}
