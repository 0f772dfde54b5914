/** The stable id of an opened model, the key every stored run and result hangs from. */
import { sha256Hex } from "./sha256.ts";
import type { TensorSource } from "./types.ts";

/** Stable model id: SHA-256 of (format, name, tensor inventory of name, dtype, shape). */
export function modelIdOf(source: Pick<TensorSource, "format" | "name" | "tensors">): string {
  return sha256Hex(JSON.stringify([source.format, source.name, source.tensors.map((t) => [t.name, t.dtype, t.shape])]));
}
