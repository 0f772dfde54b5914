/**
 * A diverging colour scale for differences b - a (d3 scaleDiverging over RdBu, centred on 0, blue
 * where b is lower, red where it is higher), its legend, and the Compare view's layer x module grid
 * of one difference. Pure functions: tests call them in Node.
 */
import { interpolateRdBu, scaleDiverging } from "d3";
import type { TensorPair } from "../analysis/compare.ts";
import { divergingExtent } from "../analysis/compare.ts";
import type { HeatGrid } from "./heatmap.ts";
import { MODULE_ORDER } from "./heatmap.ts";
import { MISSING_FILL } from "./scale.ts";

export interface DivergingScale {
  /** half-width of the domain [-extent, extent]; 0 when every difference is 0 or missing */
  extent: number;
  /** value -> [-1, 1] (clamped) */
  t: (v: number) => number;
  fill: (v: number | null) => string;
  /** black or white text on fill(v) */
  text: (v: number | null) => string;
}

/** |t| above which the fill is dark enough for white text */
const DARK_AT = 0.6;

/** The scale of `values` (symmetric around 0, so equal changes up and down get equally strong colours). */
export function divergingScale(values: Iterable<number | null>): DivergingScale {
  const extent = divergingExtent(values);
  const m = extent || 1;
  // RdBu runs red (0) -> blue (1): reversed, so that positive differences are red
  const s = scaleDiverging((x: number) => interpolateRdBu(1 - x)).domain([-m, 0, m]).clamp(true);
  const t = (v: number) => Math.max(-1, Math.min(1, v / m));
  const ok = (v: number | null): v is number => v !== null && Number.isFinite(v);
  return { extent, t, fill: (v) => (ok(v) ? s(v) : MISSING_FILL), text: (v) => (ok(v) && Math.abs(t(v)) > DARK_AT ? "#ffffff" : "#0f172a") };
}

/** CSS linear-gradient stops of the scale's ramp, from -extent (left) to +extent (right). */
export function divergingGradient(n = 17): string {
  return Array.from({ length: n }, (_, i) => `${interpolateRdBu(1 - i / (n - 1))} ${((100 * i) / (n - 1)).toFixed(1)}%`).join(", ");
}

/** Module columns of the difference grid: the linears (norms, two per layer, are in the table). */
const LINEAR_MODULES: readonly string[] = MODULE_ORDER.filter((m) => m !== "norm");

/**
 * The layer x module grid of one difference of the paired tensors (`pick`), coloured by `scale`;
 * where several tensors share a cell (MoE experts) the largest |difference| shows.
 */
export function differenceGrid(pairs: readonly TensorPair[], pick: (p: TensorPair) => number | null, scale: DivergingScale): HeatGrid {
  const byCell = new Map<string, HeatGrid["cells"][number]>();
  for (const p of pairs) {
    if (p.layer === null || p.module === null || !LINEAR_MODULES.includes(p.module)) continue;
    const v = pick(p), key = `${p.layer}:${p.module}`, prev = byCell.get(key);
    if (!prev || Math.abs(v ?? -1) > Math.abs(prev.value ?? -1)) byCell.set(key, { layer: p.layer, module: p.module, name: p.name, value: v, fill: scale.fill(v) });
  }
  const cells = [...byCell.values()];
  return {
    layers: [...new Set(cells.map((c) => c.layer))].sort((a, b) => a - b),
    modules: MODULE_ORDER.filter((m) => cells.some((c) => c.module === m)),
    cells, domain: [-scale.extent, scale.extent],
  };
}
