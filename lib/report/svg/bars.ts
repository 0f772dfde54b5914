/** Horizontal bar chart as SVG (one <rect data-value> per bar, its value at the end), on a linear or log axis. */
import { formatValue } from "../format.ts";
import type { BarChart } from "../model.ts";
import { linearScale, linearTicks, logScale, logTicks } from "./scale.ts";
import { coord, escapeXml } from "./xml.ts";
import { maxOf, minOf } from "../../tensor/extent.ts";

const BAR_H = 20, GAP = 6, LEFT = 110, PLOT_W = 380, TOP = 10, AXIS_H = 30, RIGHT = 70;

/** The bar chart's SVG text; bars without a positive value (on a log axis) are drawn as empty. */
export function barsSvg(c: BarChart): string {
  const vals = c.bars.map((b) => b.value).filter((v): v is number => v !== null && Number.isFinite(v) && (c.scale === "linear" || v > 0));
  const width = LEFT + PLOT_W + RIGHT, height = TOP + c.bars.length * (BAR_H + GAP) + AXIS_H;
  let x: (v: number) => number, ticks: number[];
  if (c.scale === "log") {
    // the decade below the smallest value, so the shortest bar keeps a visible length
    const lo = vals.length ? Number(`1e${Math.ceil(Math.log10(minOf(vals))) - 1}`) : 1e-3;
    const hi = vals.length ? Number(`1e${Math.ceil(Math.log10(maxOf(vals)))}`) : 1;
    x = logScale(lo, hi === lo ? lo * 10 : hi, LEFT, LEFT + PLOT_W); ticks = logTicks(lo, hi);
  } else {
    const hi = vals.length ? Math.max(0, maxOf(vals)) : 1;
    x = linearScale(0, hi || 1, LEFT, LEFT + PLOT_W); ticks = linearTicks(0, hi || 1);
  }
  const axisY = TOP + c.bars.length * (BAR_H + GAP);
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(c.metric)}" font-family="sans-serif" font-size="11">`];
  for (const t of ticks) {
    out.push(`<line x1="${coord(x(t))}" x2="${coord(x(t))}" y1="${TOP}" y2="${axisY}" stroke="#e5e7eb"/>`,
      `<text x="${coord(x(t))}" y="${axisY + 14}" text-anchor="middle">${formatValue(t, { kind: "sig", digits: 2 })}</text>`);
  }
  c.bars.forEach((b, i) => {
    const y = TOP + i * (BAR_H + GAP);
    const ok = b.value !== null && Number.isFinite(b.value) && (c.scale === "linear" || b.value > 0);
    const w = ok ? Math.max(1, x(b.value!) - LEFT) : 0;
    const label = formatValue(b.value, { kind: "sig", digits: 3 });
    out.push(`<g><title>${escapeXml(`${b.label}: ${c.metric} ${label}`)}</title>` +
      `<text x="${LEFT - 6}" y="${coord(y + BAR_H / 2 + 4)}" text-anchor="end">${escapeXml(b.label)}</text>` +
      `<rect x="${LEFT}" y="${y}" width="${coord(w)}" height="${BAR_H}" fill="#2563eb" data-value="${b.value ?? ""}" data-label="${escapeXml(b.label)}"/>` +
      `<text x="${coord(LEFT + w + 4)}" y="${coord(y + BAR_H / 2 + 4)}">${label}</text></g>`);
  });
  out.push(`<line x1="${LEFT}" x2="${LEFT + PLOT_W}" y1="${axisY}" y2="${axisY}" stroke="#6b7280"/>`,
    `<text x="${LEFT + PLOT_W / 2}" y="${axisY + 28}" text-anchor="middle">${escapeXml(c.metric)}${c.scale === "log" ? " (log scale)" : ""}</text>`, "</svg>");
  return out.join("\n");
}
