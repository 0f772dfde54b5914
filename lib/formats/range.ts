/** Range checks shared by every ByteSource (file handle, Blob, HTTP). */
import { FormatError } from "./errors.ts";

/** Throws FormatError unless [offset, offset+length) lies inside a file of `size` bytes. */
export function checkRange(name: string, size: number, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new FormatError(name, "read", `invalid range offset ${offset} length ${length}`);
  }
  if (offset + length > size) {
    throw new FormatError(name, "read",
      `bytes [${offset}, ${offset + length}) run past the end of the file (size ${size}); truncated file?`);
  }
}
