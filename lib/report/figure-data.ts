/** The numbers behind a figure as a table, so every renderer can show (and a reader can check) what a chart draws. */
import { code, num, type Figure, type Inline, type Table } from "./model.ts";

/** A data table for `fig`: layer x module grid, label/value pairs, or the histogram's bins. */
export function figureTable(fig: Figure): Table {
  const c = fig.chart, s = fig.source;
  const id = `${fig.id}-data`, caption = `Data of: ${fig.caption}`;
  if (c.kind === "heatmap") {
    const byKey = new Map(c.cells.map((x) => [`${x.layer}/${x.module}`, x.value] as const));
    return {
      kind: "table", id, caption, columns: [{ label: "layer", align: "right" }, ...c.modules.map((m) => ({ label: m, align: "right" as const }))],
      rows: c.layers.map((l) => [num(l, { kind: "int" }, s), ...c.modules.map((m): Inline => (byKey.has(`${l}/${m}`) ? num(byKey.get(`${l}/${m}`)!, { kind: "sig", digits: 4 }, s) : ""))]),
    };
  }
  if (c.kind === "bars") {
    return { kind: "table", id, caption, columns: [{ label: "label" }, { label: c.metric, align: "right" }], rows: c.bars.map((b) => [code(b.label), num(b.value, { kind: "sig", digits: 4 }, s)]) };
  }
  return {
    kind: "table", id, caption, columns: [{ label: "bin from", align: "right" }, { label: "to", align: "right" }, { label: "count", align: "right" }],
    rows: c.counts.map((n, i) => [num(c.edges[i]!, { kind: "sig", digits: 4 }, s), num(c.edges[i + 1]!, { kind: "sig", digits: 4 }, s), num(n, { kind: "int" }, s)]),
  };
}
