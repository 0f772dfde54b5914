/**
 * One error class for every malformed or unreadable model file. Messages share the
 * prefix `${file}: ${field}: ` so a user sees which file and which field is wrong.
 */
export class FormatError extends Error {
  override name = "FormatError";
  constructor(
    /** path, URL or File name of the offending file */
    readonly file: string,
    /** the header field, tensor or structure that is wrong (e.g. `tensor "x" data_offsets`) */
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${file}: ${field}: ${detail}`);
  }
}

/** Throws a FormatError unless `value` is an integer in [0, limit]. Returns the value. */
export function checkCount(file: string, field: string, value: number | bigint, limit: number, why = ""): number {
  const v = typeof value === "bigint" ? Number(value) : value;
  if (!Number.isSafeInteger(v) || v < 0 || v > limit) {
    throw new FormatError(file, field, `${String(value)} is outside [0, ${limit}]${why ? ` (${why})` : ""}`);
  }
  return v;
}
