/**
 * The explorer's rows -> chart series: accuracy against precision per family (one line per
 * model, target and method, starting at its FP16 mean), long-context lines per spec, and the
 * model x precision grid of relative drop.
 */
import type { DropCell, LongContextPoint, PrecisionPoint } from "../store/evidence-explorer.ts";
import { colourScale, type ColourScale } from "./scale.ts";
import type { Series } from "./line-chart.ts";

/** FP16 sits at 16 bits on the precision axis. */
export const FP16_BITS = 16;

export type Measure = "absolute" | "relative";

/** One chart per family; a line per (model, target, method), from FP16 (its mean over the same rows, or 100%) down the bit widths. */
export function precisionSeries(points: PrecisionPoint[], measure: Measure): Array<{ family: string; series: Series[] }> {
  const families = new Map<string, Map<string, PrecisionPoint[]>>();
  for (const p of points) {
    const key = `${p.model} ${p.quant_target}${p.method === "RTN" ? "" : ` ${p.method}`}`;
    const byLine = families.get(p.family) ?? new Map<string, PrecisionPoint[]>();
    byLine.set(key, [...(byLine.get(key) ?? []), p]);
    families.set(p.family, byLine);
  }
  return [...families].map(([family, lines]) => ({
    family,
    series: [...lines].map(([key, ps]) => {
      const rows = ps.reduce((a, p) => a + p.rows, 0);
      const fp16 = ps.reduce((a, p) => a + p.fp16 * p.rows, 0) / rows; // row-weighted: the line's own FP16 rows
      const start = { x: FP16_BITS, y: measure === "relative" ? 100 : fp16 };
      return { key, label: key, points: [start, ...ps.map((p) => ({ x: p.bits, y: measure === "relative" ? p.rel_pct : p.value }))] };
    }),
  }));
}

/** One line per spec (FP16 included), x = prompt length (k tokens) or needle position. */
export function longContextSeries(points: LongContextPoint[]): Series[] {
  const bySpec = new Map<string, LongContextPoint[]>();
  for (const p of points) bySpec.set(p.spec, [...(bySpec.get(p.spec) ?? []), p]);
  return [...bySpec].map(([spec, ps]) => ({ key: spec, label: spec, points: ps.map((p) => ({ x: p.x, y: p.value })) }));
}

export interface DropRect { model: string; spec: string; drop_pct: number; pairs: number; rows: number; x: number; y: number; width: number; height: number; fill: string }
export interface DropGridGeometry { models: string[]; specs: string[]; rects: DropRect[]; scale: ColourScale; width: number; height: number; left: number; top: number; cell: { w: number; h: number } }

export const DROP_GRID_LAYOUT = { cellW: 46, cellH: 22, left: 150, top: 84, gap: 2 };

/** Rows = models by size, columns = specs from most to fewest bits; colour = drop clamped at 0 (gains read as no loss). */
export function dropGridGeometry(cells: DropCell[], l = DROP_GRID_LAYOUT): DropGridGeometry {
  const models = [...new Map(cells.map((c) => [c.model, c.size_b])).entries()].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).map(([m]) => m);
  const specs = [...new Map(cells.map((c) => [c.spec, c.bits])).entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([s]) => s);
  const scale = colourScale(cells.map((c) => Math.max(0, c.drop_pct)), "linear");
  const rects = cells.map((c) => ({
    model: c.model, spec: c.spec, drop_pct: c.drop_pct, pairs: c.pairs, rows: c.rows,
    x: l.left + specs.indexOf(c.spec) * (l.cellW + l.gap), y: l.top + models.indexOf(c.model) * (l.cellH + l.gap),
    width: l.cellW, height: l.cellH, fill: scale.fill(Math.max(0, c.drop_pct)),
  }));
  return {
    models, specs, rects, scale, left: l.left, top: l.top, cell: { w: l.cellW, h: l.cellH },
    width: l.left + specs.length * (l.cellW + l.gap) + 8, height: l.top + models.length * (l.cellH + l.gap) + 4,
  };
}
