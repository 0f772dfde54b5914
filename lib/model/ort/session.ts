/** The logits output of a session and its rows. */
import type * as ort from "onnxruntime-web";
import { halfTable } from "../../tensor/half.ts";
import { OrtEngineError } from "./errors.ts";

/** The output named `wanted`, else `logits`, else the only/first float output. */
export function pickOutput(model: string, session: ort.InferenceSession, wanted?: string): ort.InferenceSession.TensorValueMetadata {
  const outs = session.outputMetadata.filter((m): m is ort.InferenceSession.TensorValueMetadata => m.isTensor);
  const pick = wanted !== undefined ? outs.find((m) => m.name === wanted)
    : outs.find((m) => m.name === "logits") ?? outs.find((m) => m.type === "float32" || m.type === "float16");
  if (!pick) throw new OrtEngineError(model, `no logits output${wanted ? ` named "${wanted}"` : ""} among ${session.outputNames.join(", ")}`);
  if (pick.type !== "float32" && pick.type !== "float16") throw new OrtEngineError(model, `output "${pick.name}" is ${pick.type}, expected float32 or float16`);
  return pick;
}

/** Yields the `n` rows of a [1, n, vocab] (or [n, vocab]) logits tensor as float32. */
export async function* logitRows(model: string, t: ort.Tensor, n: number, vocab: number, signal?: AbortSignal): AsyncIterable<Float32Array> {
  if (t.size !== n * vocab || t.dims.at(-1) !== vocab) {
    throw new OrtEngineError(model, `logits of shape [${t.dims.join(", ")}], expected [1, ${n}, ${vocab}] (one row per input token)`);
  }
  let data: Float32Array;
  if (t.type === "float32") data = t.data as Float32Array;
  else {
    const half = halfTable(), raw = t.data;
    data = raw instanceof Uint16Array ? Float32Array.from(raw, (b) => half[b]!) : Float32Array.from(raw as ArrayLike<number>);
  }
  try {
    for (let i = 0; i < n; i++) {
      signal?.throwIfAborted();
      yield data.subarray(i * vocab, (i + 1) * vocab);
    }
  } finally {
    t.dispose();
  }
}
