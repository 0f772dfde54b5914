/**
 * Text inputs of the CLI (--text, --calib, --tasks) checked before use: a missing file, a
 * directory, a FIFO or device, an empty file or a line longer than MAX_LINE_CHARS are
 * CliErrors (exit 1) naming the option and file, never EISDIR, a hang or a RangeError.
 */
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { CliError, EXIT_BAD_INPUT } from "./errors.ts";

/** One line held in memory: a whole book is a few MB; V8 strings end near 512 MiB. */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;
/** Files read whole (--calib, --tasks): far above any calibration set; below V8's string limit. */
export const MAX_WHOLE_TEXT_BYTES = 256 * 1024 * 1024;

const bad = (msg: string) => new CliError(msg, { exitCode: EXIT_BAD_INPUT });

/** Throws unless `path` is a regular file; returns its size. */
export async function checkTextFile(option: string, path: string): Promise<number> {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    throw bad(`${option}: ${path}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
  }
  if (st.isDirectory()) throw bad(`${option}: ${path} is a directory, not a text file`);
  if (!st.isFile()) throw bad(`${option}: ${path} is not a regular file (FIFO or device)`);
  return st.size;
}

/** Line ends as node:readline splits them (CRLF, LF or a lone CR). */
const LINE_END = /\r\n|\n|\r/;

/**
 * The lines of `path` as node:readline gives them (crlfDelay Infinity), streamed; a line above
 * `maxLine` characters throws instead of growing until V8's string limit (a RangeError).
 */
export async function* textLines(option: string, path: string, maxLine = MAX_LINE_CHARS): AsyncIterable<string> {
  let rest = "";
  let lineNo = 1;
  for await (const chunk of createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 20 })) {
    let s = rest + (chunk as string);
    const cr = s.endsWith("\r"); // may be the first half of \r\n: decide with the next chunk
    if (cr) s = s.slice(0, -1);
    const parts = s.split(LINE_END);
    rest = parts.pop()! + (cr ? "\r" : "");
    for (const p of parts) { yield p; lineNo++; }
    if (rest.length > maxLine) throw bad(`${option}: ${path}: line ${lineNo} is longer than ${maxLine} characters`);
  }
  if (rest.endsWith("\r")) { yield rest.slice(0, -1); return; }
  if (rest) yield rest;
}

/** The whole of a small text file; empty (or whitespace only) and over-size files throw. */
export async function readTextFile(option: string, path: string): Promise<string> {
  const size = await checkTextFile(option, path);
  if (size > MAX_WHOLE_TEXT_BYTES) throw bad(`${option}: ${path} is ${size} bytes, above the ${MAX_WHOLE_TEXT_BYTES}-byte limit`);
  const text = await readFile(path, "utf8");
  if (text.trim() === "") throw bad(`${option}: ${path} is empty`);
  return text;
}
