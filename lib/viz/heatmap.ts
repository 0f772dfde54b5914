/** Pure geometry for a layer x module heatmap: tests call it in Node, components map cells to <rect>. */
import { layerOf, moduleOf } from "../formats/names.ts";
import { colourScale, type ColourScale, type ScaleKind } from "./scale.ts";
import { maxOf, minOf } from "../tensor/extent.ts";

export interface HeatCell { layer: number; module: string; value: number | null; name: string; fill: string }
export interface HeatGrid {
  layers: number[]; modules: string[]; cells: HeatCell[]; domain: [number, number];
  /** present when the grid was built with an explicit scale */
  scale?: ColourScale;
}

/** Module columns in forward-pass order. */
export const MODULE_ORDER = ["q", "k", "v", "qkv", "o", "router", "gate", "up", "gate_up", "down", "fc1", "fc2", "norm"] as const;

/**
 * Builds the grid of `metric` per (layer, module). Without `scale`, a log colour scale is used when
 * the range spans decades (the original home page); with it, d3's YlOrRd on that scale (`reverse`:
 * low values dark, for statistics where lower is worse).
 */
export function layerModuleGrid<T extends { name: string }>(rows: T[], metric: (r: T) => number | null, scale?: ScaleKind, reverse = false): HeatGrid {
  const byCell = new Map<string, Omit<HeatCell, "fill">>();
  for (const r of rows) {
    const layer = layerOf(r.name);
    const module = moduleOf(r.name);
    if (layer === null || !(MODULE_ORDER as readonly string[]).includes(module)) continue;
    const prev = byCell.get(`${layer}:${module}`);
    const value = metric(r);
    if (prev) {
      // two norms per layer, or MoE experts: show the larger, and open the tensor it came from
      if ((value ?? -Infinity) > (prev.value ?? -Infinity)) { prev.value = value; prev.name = r.name; }
    } else byCell.set(`${layer}:${module}`, { layer, module, value, name: r.name });
  }
  const cells = [...byCell.values()];
  const values = cells.map((c) => c.value).filter((v): v is number => v !== null && Number.isFinite(v));
  const domain: [number, number] = values.length ? [minOf(values), maxOf(values)] : [0, 1];
  const layers = [...new Set(cells.map((c) => c.layer))].sort((a, b) => a - b);
  const modules = MODULE_ORDER.filter((m) => cells.some((c) => c.module === m));
  if (scale) {
    const s = colourScale(values, scale, reverse);
    return { layers, modules, domain: s.domain, scale: s, cells: cells.map((c) => ({ ...c, fill: s.fill(c.value) })) };
  }
  return { layers, modules, domain, cells: cells.map((c) => ({ ...c, fill: colour(c.value, domain) })) };
}

export interface CellRect extends HeatCell { x: number; y: number; width: number; height: number }

export interface GridLayout { cellW: number; cellH: number; left: number; top: number; gap: number }
export const GRID_LAYOUT: GridLayout = { cellW: 44, cellH: 44, left: 64, top: 28, gap: 2 };
/** Tallest the grid gets before rows shrink (an 80-layer model stays on one screen). */
export const MAX_GRID_HEIGHT = 560;
const MIN_CELL_H = 6;

/** Layout for a grid: square 44 px cells, rows shrinking (down to 6 px, no gap below 12 px) for deep models. */
export function gridLayout(grid: Pick<HeatGrid, "layers">, base: GridLayout = GRID_LAYOUT): GridLayout {
  const cellH = Math.max(MIN_CELL_H, Math.min(base.cellH, Math.floor(MAX_GRID_HEIGHT / Math.max(1, grid.layers.length))));
  return { ...base, cellH, gap: cellH < 12 ? 0 : base.gap };
}

/** Every k-th layer label, so labels never overlap (11 px text needs ~12 px). */
export function labelEvery(l: GridLayout): number {
  return Math.max(1, Math.ceil(12 / l.cellH));
}

/** Cell rectangles (modules across, layers down) and the SVG size for a grid. */
export function cellRects(grid: HeatGrid, l: GridLayout = gridLayout(grid)): { rects: CellRect[]; width: number; height: number } {
  const col = new Map(grid.modules.map((m, i) => [m, i]));
  const row = new Map(grid.layers.map((x, j) => [x, j]));
  const rects = grid.cells.map((c) => ({
    ...c,
    x: l.left + col.get(c.module)! * l.cellW + l.gap / 2, y: l.top + row.get(c.layer)! * l.cellH + l.gap / 2,
    width: l.cellW - l.gap, height: l.cellH - l.gap,
  }));
  return { rects, width: l.left + grid.modules.length * l.cellW + 8, height: l.top + grid.layers.length * l.cellH + 8 };
}

/** Sequential colour (light yellow -> deep red) on a log scale when the domain is positive. */
export function colour(v: number | null, [lo, hi]: [number, number]): string {
  if (v === null || !Number.isFinite(v)) return "#e2e8f0";
  const logScale = lo > 0 && hi / lo > 10;
  const t = hi === lo ? 0.5 : logScale ? Math.log(v / lo) / Math.log(hi / lo) : (v - lo) / (hi - lo);
  const s = Math.min(1, Math.max(0, t));
  const stops = [[255, 247, 188], [254, 196, 79], [236, 112, 20], [153, 52, 4]];
  const x = s * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const c = stops[i]!.map((a, k) => Math.round(a + (stops[i + 1]![k]! - a) * f));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** The widest a layer x module cell gets when the grid is stretched to its card. */
export const MAX_CELL_W = 160;

/** The layout stretched to a container `width` px wide: columns share the width (44 to MAX_CELL_W px each). */
export function fitToWidth(l: GridLayout, modules: number, width: number): GridLayout {
  if (!(width > 0) || modules < 1) return l;
  const cellW = Math.floor((width - l.left - 8) / modules);
  return { ...l, cellW: Math.max(GRID_LAYOUT.cellW, Math.min(MAX_CELL_W, cellW)) };
}

/** The cell reached from (`row`, `col`) by an arrow key in a `rows` x `cols` grid (clamped at the edges). */
export function arrowStep(row: number, col: number, key: string, rows: number, cols: number): [number, number] {
  const d: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1], Home: [0, -col], End: [0, cols - 1 - col] };
  const [dr, dc] = d[key] ?? [0, 0];
  return [Math.max(0, Math.min(rows - 1, row + dr)), Math.max(0, Math.min(cols - 1, col + dc))];
}
