/** CSV (RFC 4180) for table exports: comma-separated, CRLF rows, fields quoted when they need it. */

/** A signed decimal number and nothing else: the one leading "-"/"+" that is not a formula. */
const PLAIN_NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export type CsvValue = string | number | boolean | null | undefined;

/** One field: quoted when it holds a comma, quote, CR or LF, or starts/ends with a space; quotes doubled. */
export function csvField(v: CsvValue): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? "" : v > 0 ? "Infinity" : "-Infinity";
  const s = String(v);
  // a leading = + - @ tab or CR is read as a formula by spreadsheets: prefix with ' (OWASP CSV
  // injection); only a whole plain number ("-1.5e3") is left as it is, not "-1+1|cmd"
  const safe = /^[=+\-@\t\r]/.test(s) && !PLAIN_NUMBER_RE.test(s) ? `'${s}` : s;
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
