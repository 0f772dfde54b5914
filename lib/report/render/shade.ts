/**
 * Shading of a table's difference columns (Table.diverging): each cell's value over the column's
 * largest |value| on the report's blue-white-red diverging ramp, with a text colour that reads on it.
 * The HTML file and the dashboard page draw the same fills.
 */
import { divergingExtent } from "../../analysis/compare.ts";
import type { Table } from "../model.ts";
import { divergingColor } from "../svg/scale.ts";

/** A cell's fill and text colour. */
export interface Shade { fill: string; text: string }

/** |t| above which the ramp is dark enough for white text */
const DARK_AT = 0.6;

/** The shade of cell (row, col) of `t`, or null (not a difference column, no value, or a column of zeros). */
export function divergingShades(t: Table): (row: number, col: number) => Shade | null {
  const valueOf = (r: number, c: number) => { const x = t.rows[r]?.[c]; return x && typeof x !== "string" && x.kind === "num" ? x.value : null; };
  const extent = new Map((t.diverging ?? []).map((c) => [c, divergingExtent(t.rows.map((_, r) => valueOf(r, c)))]));
  return (r, c) => {
    const m = extent.get(c), v = valueOf(r, c);
    if (!m || v === null) return null;
    const k = v / m;
    return { fill: divergingColor(k), text: Math.abs(k) > DARK_AT ? "#ffffff" : "#111827" };
  };
}
