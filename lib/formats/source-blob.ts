/** ByteSource over a browser File or Blob (also Node's Blob): slices, never the whole file. */
import { FormatError } from "./errors.ts";
import { checkRange } from "./range.ts";
import type { ByteSource } from "./types.ts";

/** Random access to `blob` via `blob.slice().arrayBuffer()`; `name` defaults to File.name. */
export function blobSource(blob: Blob, name?: string): ByteSource {
  const label = name ?? ((blob as Partial<File>).name || "blob");
  const size = blob.size;
  async function read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(label, size, offset, length);
    const buf = new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
    if (buf.length !== length) {
      throw new FormatError(label, "read", `short read: ${buf.length} of ${length} bytes at ${offset}`);
    }
    return buf;
  }
  return {
    name: label,
    size,
    read,
    /** one copy from the slice's ArrayBuffer into dest (Blob has no read-into API) */
    async readInto(offset: number, dest: Uint8Array): Promise<void> {
      dest.set(await read(offset, dest.length));
    },
    async close(): Promise<void> {},
  };
}
