/**
 * The files of data/demo/ the app serves at DEMO_URL (app/data/demo/[file]/route.ts), browser-safe:
 * the demo's model file, so "Evaluate" runs on the demo with no file picked, and its evaluation text.
 */

/** Where the app serves them. */
export const DEMO_URL = "/data/demo/";
/** the model file (the same weights as the statistics' stories260K.bin; tokenizer embedded) */
export const DEMO_MODEL_FILE = "stories260K.gguf";
/** the text of the precomputed evaluation run (23 TinyStories validation stories) */
export const DEMO_TEXT_FILE = "tinystories_valid_excerpt.txt";

/** Every served file with its content type. */
export const DEMO_SERVED_FILES = [
  { file: DEMO_MODEL_FILE, type: "application/octet-stream" },
  { file: DEMO_TEXT_FILE, type: "text/plain; charset=utf-8" },
] as const;

/**
 * The bytes a `Range` header asks of a file of `size` bytes (RFC 9110 14.1.2; one range: `bytes=a-b`,
 * `bytes=a-`, `bytes=-n`): null for the whole file (no header, several ranges, or a form not
 * understood), "unsatisfiable" when it starts past the end.
 */
export function byteRange(header: string | null, size: number): { start: number; end: number } | null | "unsatisfiable" {
  const m = header?.trim().match(/^bytes=(\d*)-(\d*)$/);
  if (!m || (m[1] === "" && m[2] === "")) return null;
  if (m[1] === "") {
    const n = Number(m[2]);
    return n === 0 ? "unsatisfiable" : { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  if (start >= size) return "unsatisfiable";
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  return end < start ? null : { start, end };
}
