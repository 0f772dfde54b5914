/** A whole tensor's stored bytes, for the callers that need a weight in one piece. */
import type { TensorInfo, TensorSource } from "./types.ts";

/** The raw bytes of `t`, concatenated from its readRaw chunks. */
export async function readTensorBytes(source: TensorSource, t: TensorInfo): Promise<Uint8Array> {
  const bytes = new Uint8Array(t.byteLength);
  let o = 0;
  for await (const c of source.readRaw(t)) { bytes.set(c, o); o += c.length; }
  return bytes;
}
