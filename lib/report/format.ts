/** How a report writes its numbers (the same text in every renderer). Binary byte units, as lib/viz/format.ts. */
import type { Num, NumFormat } from "./model.ts";

const BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

/** A value under a format; null, NaN and ±Inf are "n/a". */
export function formatValue(v: number | null, f: NumFormat): string {
  if (v === null || !Number.isFinite(v)) return "n/a";
  switch (f.kind) {
    case "fixed": return v.toFixed(f.digits);
    case "int": return Math.round(v).toLocaleString("en-US");
    case "pct": return `${(v * 100).toFixed(f.digits)}%`;
    case "sig": {
      if (v === 0) return "0";
      const a = Math.abs(v);
      return a >= 1e5 || a < 1e-3 ? v.toExponential(f.digits - 1) : Number(v.toPrecision(f.digits)).toString();
    }
    case "bytes": {
      let x = v, u = 0;
      while (Math.abs(x) >= 1024 && u < BYTE_UNITS.length - 1) { x /= 1024; u++; }
      return `${u === 0 ? Math.round(x) : x >= 100 ? x.toFixed(0) : x.toPrecision(3)} ${BYTE_UNITS[u]}`;
    }
  }
}

/** A Num as text, with its unit. */
export function formatNum(n: Num): string {
  const s = formatValue(n.value, n.format);
  return n.unit && s !== "n/a" ? `${s} ${n.unit}` : s;
}

/** The provenance of a Num in words: "query eval_results; evidence qe_1, qe_2; via weightMemory". */
export function sourceText(n: Pick<Num, "source">): string {
  const parts = n.source.queries.length ? [`query ${n.source.queries.join(", ")}`] : [];
  if (n.source.evidence?.length) parts.push(`evidence ${n.source.evidence.join(", ")}`);
  if (n.source.via) parts.push(`via ${n.source.via}`);
  return parts.join("; ");
}
