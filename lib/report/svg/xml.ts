/** Text and attribute escaping for the report's HTML and SVG: strings from model files are text, never markup. */

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes & < > " ' (safe in element text and in double- or single-quoted attributes). */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A number as an SVG coordinate: two decimals, no "-0". */
export function coord(x: number): string {
  const r = Math.round(x * 100) / 100;
  return Object.is(r, -0) ? "0" : String(r);
}
