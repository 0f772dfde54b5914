/** A ByteSource over bytes in memory, for tests (same range checks as the file source). */
import { checkRange } from "../../lib/formats/range.ts";
import type { ByteSource } from "../../lib/formats/types.ts";

/** Wraps `bytes` as a ByteSource named `name`; counts reads in `stats.reads`. */
export function memorySource(bytes: Uint8Array, name = "memory.bin"): ByteSource & { stats: { reads: number } } {
  const stats = { reads: 0 };
  return {
    name,
    size: bytes.length,
    stats,
    async read(offset: number, length: number): Promise<Uint8Array> {
      checkRange(name, bytes.length, offset, length);
      stats.reads++;
      return bytes.slice(offset, offset + length);
    },
    async close(): Promise<void> {},
  };
}
