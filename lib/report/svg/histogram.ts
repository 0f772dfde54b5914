/** Value histogram as SVG: one <rect data-value> per bin (log count axis) and the normal curve of the same mean and std. */
import { formatValue } from "../format.ts";
import type { HistogramChart } from "../model.ts";
import { linearScale, linearTicks } from "./scale.ts";
import { coord, escapeXml } from "./xml.ts";
import { maxOf } from "../../tensor/extent.ts";

const W = 560, H = 240, LEFT = 50, RIGHT = 10, TOP = 10, BOTTOM = 36;

/** Expected count of a normal(mean, std) sample of n values in [a, b): n * pdf(mid) * (b - a). */
export function normalCount(mean: number, std: number, n: number, a: number, b: number): number {
  if (!(std > 0)) return 0;
  const z = ((a + b) / 2 - mean) / std;
  return (n * (b - a) * Math.exp(-0.5 * z * z)) / (std * Math.sqrt(2 * Math.PI));
}

/** The histogram's SVG text; counts on a log1p axis so the tails (the outliers) stay visible. */
export function histogramSvg(c: HistogramChart): string {
  const lo = c.edges[0]!, hi = c.edges[c.edges.length - 1]!;
  const x = linearScale(lo, hi, LEFT, W - RIGHT);
  const maxCount = Math.max(1, maxOf(c.counts));
  const y = linearScale(0, Math.log1p(maxCount), H - BOTTOM, TOP);
  const yOf = (count: number) => y(Math.log1p(count));
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeXml(`histogram of ${c.tensor}`)}" font-family="sans-serif" font-size="11">`];
  c.counts.forEach((n, i) => {
    const x0 = x(c.edges[i]!), x1 = x(c.edges[i + 1]!);
    out.push(`<rect x="${coord(x0)}" y="${coord(yOf(n))}" width="${coord(Math.max(0.5, x1 - x0 - 0.5))}" height="${coord(H - BOTTOM - yOf(n))}" fill="#2563eb" data-value="${n}">` +
      `<title>[${formatValue(c.edges[i]!, { kind: "sig", digits: 3 })}, ${formatValue(c.edges[i + 1]!, { kind: "sig", digits: 3 })}): ${n}</title></rect>`);
  });
  if (c.normal) {
    const { mean, std, n } = c.normal;
    const pts = c.counts.map((_, i) => {
      const a = c.edges[i]!, b = c.edges[i + 1]!;
      return `${coord(x((a + b) / 2))},${coord(yOf(normalCount(mean, std, n, a, b)))}`;
    });
    out.push(`<polyline points="${pts.join(" ")}" fill="none" stroke="#dc2626" stroke-width="1.5"/>`);
  }
  for (const t of linearTicks(lo, hi, 6)) out.push(`<text x="${coord(x(t))}" y="${H - BOTTOM + 14}" text-anchor="middle">${formatValue(t, { kind: "sig", digits: 2 })}</text>`);
  for (const t of [1, 10, 100, 1000, 10000, 100000].filter((t) => t <= maxCount)) {
    out.push(`<text x="${LEFT - 4}" y="${coord(yOf(t) + 4)}" text-anchor="end">${t}</text>`);
  }
  out.push(`<line x1="${LEFT}" x2="${W - RIGHT}" y1="${H - BOTTOM}" y2="${H - BOTTOM}" stroke="#6b7280"/>`,
    `<text x="${(LEFT + W - RIGHT) / 2}" y="${H - 6}" text-anchor="middle">value (bars: count per bin, log axis; line: normal of the same mean and std)</text>`, "</svg>");
  return out.join("\n");
}
