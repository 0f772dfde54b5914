/** Layer x module heatmap as SVG: one <rect data-value> per tensor, its value written in the cell, a <title> tooltip. */
import { formatValue } from "../format.ts";
import type { HeatmapChart } from "../model.ts";
import { linearScale, sequentialColor, textColorOn } from "./scale.ts";
import { coord, escapeXml } from "./xml.ts";

const CELL_W = 56, CELL_H = 22, LEFT = 60, TOP = 36, LEGEND_H = 34;

/** The heatmap's SVG text (width grows with the module count, height with the layer count). */
export function heatmapSvg(c: HeatmapChart): string {
  const values = c.cells.map((x) => x.value).filter((v): v is number => v !== null && Number.isFinite(v));
  const [lo, hi] = values.length ? [Math.min(...values), Math.max(...values)] : [0, 1];
  const t = linearScale(lo, hi, 0, 1);
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
        `<rect x="${x}" y="${y}" width="${CELL_W - 1}" height="${CELL_H - 1}" fill="${cell.value === null ? "#e5e7eb" : sequentialColor(k)}" data-value="${cell.value ?? ""}" data-name="${escapeXml(cell.name)}"/>` +
        `<text x="${coord(x + CELL_W / 2)}" y="${coord(y + CELL_H / 2 + 4)}" text-anchor="middle" fill="${textColorOn(k)}">${label}</text></g>`);
    }
  }
  const ly = TOP + c.layers.length * CELL_H + 12;
  const steps = 10, lw = Math.min(200, width - LEFT - 10) / steps;
  for (let s = 0; s < steps; s++) out.push(`<rect x="${coord(LEFT + s * lw)}" y="${ly}" width="${coord(lw)}" height="8" fill="${sequentialColor((s + 0.5) / steps)}"/>`);
  out.push(`<text x="${LEFT}" y="${ly + 20}">${formatValue(lo, { kind: "sig", digits: 3 })}</text>`,
    `<text x="${coord(LEFT + steps * lw)}" y="${ly + 20}" text-anchor="end">${formatValue(hi, { kind: "sig", digits: 3 })}</text>`, "</svg>");
  return out.join("\n");
}
