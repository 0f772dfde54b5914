/**
 * Strings from files reach the terminal escaped: a crafted tensor name or metadata value with
 * ANSI escapes (ESC [ ...), a C1 CSI (U+009B), a bell or a newline must not move the cursor,
 * recolour, clear the screen or forge output lines. Controls become visible `\xNN` / `\n`.
 */

/** C0 controls, DEL and C1 controls: everything a terminal may act on. */
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f]/g;
/** C1 controls and DEL, which JSON.stringify leaves raw (it escapes only C0). */
const JSON_RAW_RE = /[\u007f-\u009f]/g;

const hex = (c: string) => c.charCodeAt(0).toString(16).padStart(2, "0");

/** `s` with every control character shown as `\n`, `\t`, `\r` or `\xNN`. */
export function escapeControl(s: string): string {
  return s.replace(CONTROL_RE, (c) => (c === "\n" ? "\\n" : c === "\t" ? "\\t" : c === "\r" ? "\\r" : `\\x${hex(c)}`));
}

/** JSON text with DEL and C1 controls written as \u escapes (still the same JSON value). */
export function jsonForTerminal(json: string): string {
  return json.replace(JSON_RAW_RE, (c) => `\\u00${hex(c)}`);
}
