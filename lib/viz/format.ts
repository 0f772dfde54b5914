/** Number formatting shared by every panel and the CLI: one style for tables, tooltips, legends and progress. */

const EN = "en-US";

/** 4 significant digits; exponent form for very large or very small magnitudes; "–" for null. */
export function fmtNum(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  if (!Number.isFinite(v)) return v > 0 ? "∞" : "−∞";
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 1e5 || a < 1e-3 ? v.toExponential(digits - 2) : Number(v.toPrecision(digits)).toString();
}

/** Integer with thousands separators: 260,032. */
export function fmtInt(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? "–" : Math.round(v).toLocaleString(EN);
}

/** Share as a percentage: 0.00123 -> "0.123%". */
export function fmtPct(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined || !Number.isFinite(v) ? "–" : `${(v * 100).toFixed(digits)}%`;
}

/** SQNR in dB with one decimal: "24.3 dB"; an exact round trip is "∞ dB". */
export function fmtDb(v: number | null | undefined, unit = true): string {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  const s = Number.isFinite(v) ? v.toFixed(1) : "∞";
  return unit ? `${s} dB` : s;
}

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

/** Bytes in binary units with 3 significant digits: 1040128 -> "1016 KiB", 7.5e9 -> "6.98 GiB". */
export function fmtBytes(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "–";
  let x = v, u = 0;
  while (Math.abs(x) >= 1024 && u < UNITS.length - 1) { x /= 1024; u++; }
  return `${u === 0 ? Math.round(x) : x >= 100 ? x.toFixed(0) : x.toPrecision(3)} ${UNITS[u]}`;
}

/** Compact count: 260032 -> "260K", 6.74e9 -> "6.74B". */
export function fmtCount(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "–";
  const units: Array<[number, string]> = [[1e12, "T"], [1e9, "B"], [1e6, "M"], [1e3, "K"]];
  for (const [d, s] of units) if (Math.abs(v) >= d) return `${Number((v / d).toPrecision(3))}${s}`;
  return String(v);
}

/** Milliseconds -> "3 s", "2 min 5 s", "1 h 4 min". */
export function fmtDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
