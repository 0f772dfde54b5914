/** Layer x module heatmap as SVG: one <rect data-value> per tensor, its value written in the cell, a <title> tooltip. */
import { formatValue } from "../format.ts";
import type { HeatmapChart } from "../model.ts";
import { divergingColor, linearScale, sequentialColor, textColorOn } from "./scale.ts";
import { coord, escapeXml } from "./xml.ts";
import { maxOf, minOf } from "../../tensor/extent.ts";

const CELL_W = 56, CELL_H = 22, LEFT = 60, TOP = 36, LEGEND_H = 34;

/** The heatmap's SVG text (width grows with the module count, height with the layer count). */
export function heatmapSvg(c: HeatmapChart): string {
  const values = c.cells.map((x) => x.value).filter((v): v is number => v !== null && Number.isFinite(v));
  const diverging = c.colors === "diverging";
  const extent = values.length ? maxOf(values.map(Math.abs)) : 1;
  const [lo, hi] = diverging ? [-extent, extent] : values.length ? [minOf(values), maxOf(values)] : [0, 1];
  // t in [0, 1] (sequential) or [-1, 1] (diverging, 0 in the middle); the ink follows the fill's darkness
  const t = diverging ? linearScale(-extent || -1, extent || 1, -1, 1) : linearScale(lo, hi, 0, 1);
  const fill = (k: number) => (diverging ? divergingColor(k) : sequentialColor(k));
  const ink = (k: number) => textColorOn(diverging ? Math.abs(k) : k);
  const width = LEFT + c.modules.length * CELL_W + 10;
  const height = TOP + c.layers.length * CELL_H + LEGEND_H;
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(`${c.metric} per layer and module`)}" font-family="sans-serif" font-size="11">`];
  c.modules.forEach((m, j) => out.push(`<text x="${coord(LEFT + j * CELL_W + CELL_W / 2)}" y="${TOP - 8}" text-anchor="middle">${escapeXml(m)}</text>`));
  c.layers.forEach((l, i) => out.push(`<text x="${LEFT - 6}" y="${coord(TOP + i * CELL_H + CELL_H / 2 + 4)}" text-anchor="end">layer ${l}</text>`));
  const index = new Map(c.cells.map((x) => [`${x.layer}/${x.module}`, x] as const));
  for (const [i, l] of c.layers.entries()) {
    for (const [j, m] of c.modules.entries()) {
      const cell = index.get(`${l}/${m}`);
      if (!cell) continue;
      const x = LEFT + j * CELL_W, y = TOP + i * CELL_H;
      const k = cell.value === null ? 0 : t(cell.value);
      const label = formatValue(cell.value, { kind: "sig", digits: 3 });
      out.push(`<g><title>${escapeXml(`${cell.name}: ${c.metric} ${label}`)}</title>` +
        `<rect x="${x}" y="${y}" width="${CELL_W - 1}" height="${CELL_H - 1}" fill="${cell.value === null ? "#e5e7eb" : fill(k)}" data-value="${cell.value ?? ""}" data-name="${escapeXml(cell.name)}"/>` +
        `<text x="${coord(x + CELL_W / 2)}" y="${coord(y + CELL_H / 2 + 4)}" text-anchor="middle" fill="${ink(k)}">${label}</text></g>`);
    }
  }
  const ly = TOP + c.layers.length * CELL_H + 12;
  const steps = 10, lw = Math.min(200, width - LEFT - 10) / steps;
  for (let s = 0; s < steps; s++) out.push(`<rect x="${coord(LEFT + s * lw)}" y="${ly}" width="${coord(lw)}" height="8" fill="${fill(diverging ? ((s + 0.5) / steps) * 2 - 1 : (s + 0.5) / steps)}"/>`);
  out.push(`<text x="${LEFT}" y="${ly + 20}">${formatValue(lo, { kind: "sig", digits: 3 })}</text>`,
    `<text x="${coord(LEFT + steps * lw)}" y="${ly + 20}" text-anchor="end">${formatValue(hi, { kind: "sig", digits: 3 })}</text>`, "</svg>");
  return out.join("\n");
}
