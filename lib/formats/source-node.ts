/** ByteSource over a local file (Node): positional reads on a FileHandle, never the whole file; readInto fills a caller's buffer (wasm memory, SharedArrayBuffer) directly. */
import { open } from "node:fs/promises";
import { FormatError } from "./errors.ts";
import { checkRange } from "./range.ts";
import type { ByteSource } from "./types.ts";

/** Opens `path` for random access. Missing or unreadable files throw FormatError naming the path. */
export async function openFileSource(path: string): Promise<ByteSource> {
  let fh;
  try {
    fh = await open(path, "r");
  } catch (e) {
    throw new FormatError(path, "open", (e as Error).message);
  }
  const stat = await fh.stat();
  if (!stat.isFile()) {
    await fh.close();
    throw new FormatError(path, "open", "not a regular file");
  }
  const size = stat.size;
  /** fills `dest` from `offset`; positional reads may return fewer bytes than asked, so loop until full */
  async function readInto(offset: number, dest: Uint8Array): Promise<void> {
    const length = dest.length;
    checkRange(path, size, offset, length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await fh!.read(dest, got, length - got, offset + got);
      if (bytesRead === 0) {
        throw new FormatError(path, "read", `file ended at ${offset + got}, expected ${size} bytes (file changed?)`);
      }
      got += bytesRead;
    }
  }
  return {
    name: path,
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const out = new Uint8Array(length);
      await readInto(offset, out);
      return out;
    },
    readInto,
    async close(): Promise<void> {
      await fh.close();
    },
  };
}
