/**
 * RFC 4180 CSV text -> records. Quoted fields may hold commas, doubled quotes and newlines;
 * a trailing newline ends the last record. Same code in Node and the browser (text in, no I/O).
 */
import { FormatError } from "../formats/errors.ts";

/** Parses CSV text into rows of fields; a quote left open is a FormatError naming `file`. */
export function parseCsv(text: string, file: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '"' && field === "") {
      // quoted field: runs to the closing quote; "" inside is one quote
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new FormatError(file, `line ${rows.length + 1}`, "quoted field is never closed");
        field += text.slice(i, q);
        if (text[q + 1] === '"') { field += '"'; i = q + 2; } else { i = q + 1; break; }
      }
    } else if (c === ",") { row.push(field); field = ""; i++; }
    else if (c === "\n" || c === "\r") {
      row.push(field); rows.push(row); row = []; field = "";
      i += c === "\r" && text[i + 1] === "\n" ? 2 : 1;
    } else {
      const next = nextSpecial(text, i);
      field += text.slice(i, next);
      i = next;
    }
  }
  if (field !== "" || row.length) { row.push(field); rows.push(row); }
  return rows;
}

function nextSpecial(text: string, from: number): number {
  for (let j = from; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 44 || c === 10 || c === 13) return j; // , \n \r
  }
  return text.length;
}

/** Header-checked records: the header must equal `columns` exactly (names and order). */
export function csvRecords(text: string, file: string, columns: readonly string[]): Array<Record<string, string>> {
  const [header, ...body] = parseCsv(text.replace(/^\uFEFF/, ""), file);
  if (!header || header.join(",") !== columns.join(",")) {
    throw new FormatError(file, "header", `expected columns ${columns.join(",")}, got ${header?.join(",") ?? "nothing"}`);
  }
  return body.map((cells, k) => {
    if (cells.length !== columns.length) throw new FormatError(file, `line ${k + 2}`, `${cells.length} fields, expected ${columns.length}`);
    return Object.fromEntries(columns.map((c, j) => [c, cells[j]!]));
  });
}
