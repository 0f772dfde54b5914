/**
 * The file's own metadata (GGUF key/values, safetensors `__metadata__`, config.json, ONNX opset and
 * producer: TensorSource.metadata) as key/value rows for a searchable table, the way the Hugging
 * Face GGUF viewer lists them: nested objects flattened to dotted keys, long arrays (a vocabulary
 * of 32,000 tokens) collapsed to their first items and their length, so the page never holds them.
 */

/** Arrays up to this length are shown whole. */
export const MAX_INLINE_ITEMS = 8;
/** A value's text is cut after this many characters (a chat template, a long license). */
export const MAX_VALUE_CHARS = 2000;
/** At most this many rows (a file with more keys than that is not a model header a person reads). */
export const MAX_METADATA_ROWS = 5000;

/** One key of the metadata: the value as text, and for a collapsed array its length. */
export interface MetadataRow { key: string; value: string; type: string; length: number | null }

const text = (v: unknown) => {
  const s = typeof v === "string" ? v : typeof v === "bigint" ? v.toString() : JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x));
  return s.length > MAX_VALUE_CHARS ? `${s.slice(0, MAX_VALUE_CHARS)}…` : s;
};

/** Flattens `meta` into rows sorted by key; arrays longer than MAX_INLINE_ITEMS are collapsed. */
export function metadataRows(meta: Record<string, unknown>): MetadataRow[] {
  const out: MetadataRow[] = [];
  const walk = (prefix: string, v: unknown) => {
    if (out.length >= MAX_METADATA_ROWS) return;
    if (Array.isArray(v)) {
      const long = v.length > MAX_INLINE_ITEMS;
      const shown = long ? v.slice(0, MAX_INLINE_ITEMS) : v;
      out.push({ key: prefix, type: "array", length: v.length, value: `[${shown.map(text).join(", ")}${long ? `, … ${v.length - MAX_INLINE_ITEMS} more` : ""}]` });
    } else if (v !== null && typeof v === "object" && !(v instanceof Uint8Array)) {
      const entries = Object.entries(v as Record<string, unknown>);
      if (entries.length === 0) out.push({ key: prefix, type: "object", length: null, value: "{}" });
      for (const [k, x] of entries) walk(prefix ? `${prefix}.${k}` : k, x);
    } else {
      out.push({ key: prefix, type: v === null ? "null" : typeof v, length: null, value: text(v) });
    }
  };
  for (const [k, v] of Object.entries(meta)) walk(k, v);
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

/** The rows whose key or value contains `query` (case-insensitive). */
export function searchMetadata(rows: MetadataRow[], query: string): MetadataRow[] {
  const q = query.trim().toLowerCase();
  return q ? rows.filter((r) => r.key.toLowerCase().includes(q) || r.value.toLowerCase().includes(q)) : rows;
}
