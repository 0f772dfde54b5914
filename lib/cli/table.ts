import { maxOf } from "../tensor/extent.ts";
import { escapeControl } from "./escape.ts";

/** Renders rows as a fixed-width text table; numbers right-aligned. */
export function renderTable(header: string[], rows: Array<Array<string | number | null>>): string {
  const cells = rows.map((r) => r.map((c) => (c === null ? "-" : escapeControl(String(c))))); // names from files
  const widths = header.map((h, i) => Math.max(h.length, maxOf(cells.map((r) => r[i]!.length), 0)));
  const numeric = header.map((_, i) => rows.every((r) => r[i] === null || typeof r[i] === "number"));
  const line = (r: string[]) =>
    r.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n") + "\n";
}

/** Compact number for tables: 4 significant digits, exponent when very small or large. */
export function fmt(v: number | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 1e5 || a < 1e-3 ? v.toExponential(3) : v.toPrecision(4);
}
