/** ByteSource over a local file (Node): positional reads on a FileHandle, never the whole file; readInto fills a caller's buffer (wasm memory, SharedArrayBuffer) directly. */
import { constants } from "node:fs";
import { open, stat as statPath } from "node:fs/promises";
import { FormatError } from "./errors.ts";
import { checkRange } from "./range.ts";
import type { ByteSource } from "./types.ts";

/**
 * Opens `path` for random access (`name`, default the path, is shown in errors). Missing or
 * unreadable files throw FormatError naming it; a FIFO or device is refused before opening
 * (opening a FIFO blocks until a writer comes), and O_NONBLOCK covers a race with that check.
 */
export async function openFileSource(path: string, name = path): Promise<ByteSource> {
  let fh;
  try {
    const st = await statPath(path);
    if (!st.isFile()) throw new FormatError(name, "open", st.isDirectory() ? "not a regular file (a folder)" : "not a regular file (FIFO, socket or device)");
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    if (e instanceof FormatError) throw e;
    throw new FormatError(name, "open", (e as Error).message);
  }
  const stat = await fh.stat();
  if (!stat.isFile()) {
    await fh.close();
    throw new FormatError(name, "open", "not a regular file");
  }
  const size = stat.size;
  /** fills `dest` from `offset`; positional reads may return fewer bytes than asked, so loop until full */
  async function readInto(offset: number, dest: Uint8Array): Promise<void> {
    const length = dest.length;
    checkRange(name, size, offset, length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await fh!.read(dest, got, length - got, offset + got);
      if (bytesRead === 0) {
        throw new FormatError(name, "read", `file ended at ${offset + got}, expected ${size} bytes (file changed?)`);
      }
      got += bytesRead;
    }
  }
  return {
    name,
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
