/** CSV (RFC 4180) for table exports: comma-separated, CRLF rows, fields quoted when they need it. */

export type CsvValue = string | number | boolean | null | undefined;

/** One field: quoted when it holds a comma, quote, CR or LF, or starts/ends with a space; quotes doubled. */
export function csvField(v: CsvValue): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? "" : v > 0 ? "Infinity" : "-Infinity";
  const s = String(v);
  // a leading = + - @ would be read as a formula by spreadsheets: prefix with ' (OWASP CSV injection)
  const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A header row and one row per record, CRLF-terminated (RFC 4180). */
export function toCsv(headers: string[], rows: CsvValue[][]): string {
  return [headers, ...rows].map((r) => r.map(csvField).join(",")).join("\r\n") + "\r\n";
}

/** Columns of a tensor export: header and the raw value (not the formatted cell) of a row. */
export interface CsvColumn<T> { header: string; value: (row: T) => CsvValue }

/** CSV of `rows` with the given columns, in order. */
export function rowsToCsv<T>(columns: CsvColumn<T>[], rows: T[]): string {
  return toCsv(columns.map((c) => c.header), rows.map((r) => columns.map((c) => c.value(r))));
}
