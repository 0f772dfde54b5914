/** A ByteSource over bytes already in memory, so lib/formats/onnx.ts can parse a model from a buffer. */
import { checkRange } from "../../formats/range.ts";
import type { ByteSource } from "../../formats/types.ts";

/** Wraps `bytes` (not copied: reads return views) as a ByteSource named `name`. */
export function bytesSource(bytes: Uint8Array, name: string): ByteSource {
  return {
    name,
    size: bytes.length,
    async read(offset: number, length: number): Promise<Uint8Array> {
      checkRange(name, bytes.length, offset, length);
      return bytes.subarray(offset, offset + length);
    },
    async readInto(offset: number, dest: Uint8Array): Promise<void> {
      checkRange(name, bytes.length, offset, dest.length);
      dest.set(bytes.subarray(offset, offset + dest.length));
    },
    async close(): Promise<void> {},
  };
}
