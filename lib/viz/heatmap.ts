/** Pure geometry for a layer x module heatmap: tests call it in Node, components map cells to <rect>. */
import { layerOf, moduleOf } from "../formats/names.ts";

export interface HeatCell { layer: number; module: string; value: number | null; name: string; fill: string }
export interface HeatGrid { layers: number[]; modules: string[]; cells: HeatCell[]; domain: [number, number] }

/** Module columns in forward-pass order. */
export const MODULE_ORDER = ["q", "k", "v", "o", "gate", "up", "down", "norm"] as const;

/** Builds the grid of `metric` per (layer, module); log colour scale when the range spans decades. */
export function layerModuleGrid<T extends { name: string }>(rows: T[], metric: (r: T) => number | null): HeatGrid {
  const byCell = new Map<string, Omit<HeatCell, "fill">>();
  for (const r of rows) {
    const layer = layerOf(r.name);
    const module = moduleOf(r.name);
    if (layer === null || !(MODULE_ORDER as readonly string[]).includes(module)) continue;
    const prev = byCell.get(`${layer}:${module}`);
    const value = metric(r);
    if (prev) prev.value = Math.max(prev.value ?? -Infinity, value ?? -Infinity); // two norms per layer: show the larger
    else byCell.set(`${layer}:${module}`, { layer, module, value, name: r.name });
  }
  const cells = [...byCell.values()];
  const values = cells.map((c) => c.value).filter((v): v is number => v !== null && Number.isFinite(v));
  const domain: [number, number] = values.length ? [Math.min(...values), Math.max(...values)] : [0, 1];
  const layers = [...new Set(cells.map((c) => c.layer))].sort((a, b) => a - b);
  const modules = MODULE_ORDER.filter((m) => cells.some((c) => c.module === m));
  return { layers, modules, domain, cells: cells.map((c) => ({ ...c, fill: colour(c.value, domain) })) };
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
