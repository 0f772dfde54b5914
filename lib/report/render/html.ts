/**
 * The report as one standalone HTML file: inline CSS and inline SVG charts, no script, no external
 * resource (opens offline, prints to PDF). Every string is escaped; every number carries its
 * source in a title and a data-source attribute.
 */
import { figureTable } from "../figure-data.ts";
import { formatNum, sourceText } from "../format.ts";
import type { Block, Figure, Inline, ReportDoc, Table } from "../model.ts";
import { chartSvg } from "../svg/index.ts";
import { escapeXml as esc } from "../svg/xml.ts";
import { REPORT_CSS } from "./html-style.ts";
import { divergingShades } from "./shade.ts";
import { blockSources, citeText, headerLines } from "./text.ts";

function inline(x: Inline): string {
  if (typeof x === "string") return esc(x);
  if (x.kind === "num") { const s = esc(sourceText(x)); return `<span class="num" title="${s}" data-source="${s}">${esc(formatNum(x))}</span>`; }
  if (x.kind === "code") return `<code>${esc(x.text)}</code>`;
  return `<span class="cite" title="${esc(x.ids.join(", "))}">${esc(citeText(x))}</span>`;
}

function table(t: Table): string {
  const cls = (i: number) => (t.columns[i]?.align === "right" ? ` class="r"` : "");
  const shade = divergingShades(t);
  const style = (r: number, i: number) => { const s = shade(r, i); return s ? ` style="background:${s.fill};color:${s.text}"` : ""; };
  return `<table id="${esc(t.id)}"><caption>${esc(t.caption)}</caption><thead><tr>${t.columns.map((c, i) => `<th${cls(i)}>${esc(c.label)}</th>`).join("")}</tr></thead>` +
    `<tbody>${t.rows.map((r, j) => `<tr>${r.map((c, i) => `<td${cls(i)}${style(j, i)}>${inline(c)}</td>`).join("")}</tr>`).join("")}</tbody></table>`;
}

function sources(b: Block): string {
  const s = blockSources(b);
  const parts = [
    ...(s.queries.length ? [`${s.queries.length > 1 ? "queries" : "query"} ${s.queries.map((q) => `<code>${esc(q)}</code>`).join(", ")}`] : []),
    ...(s.evidence.length ? [`evidence <span class="cite" title="${esc(s.evidence.join(", "))}">${esc(citeText({ kind: "cite", ids: s.evidence }))}</span>`] : []),
    ...s.via.map((v) => `via ${esc(v)}`),
  ];
  return parts.length ? `<p class="src">Source: ${parts.join("; ")}</p>` : "";
}

function figure(f: Figure): string {
  return `<figure id="${esc(f.id)}" data-chart="${f.chart.kind}">${chartSvg(f.chart)}<figcaption>${esc(f.caption)}</figcaption></figure>` +
    `<details><summary>Data of this figure</summary>${table(figureTable(f))}</details>`;
}

function block(b: Block): string {
  switch (b.kind) {
    case "p": return `<p>${b.content.map(inline).join("")}</p>${sources(b)}`;
    case "list": return `<ul>${b.items.map((i) => `<li>${i.map(inline).join("")}</li>`).join("")}</ul>${sources(b)}`;
    case "table": return table(b) + sources(b);
    case "figure": return figure(b) + sources(b);
  }
}

/** The report as a complete HTML document (UTF-8, one file). */
export function renderHtml(doc: ReportDoc): string {
  const head = headerLines(doc.header).map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join("");
  const sections = doc.sections.map((s, i) =>
    `<section class="report-section${i === 0 ? " first" : ""}" id="${esc(s.id)}"><h2>${i + 1}. ${esc(s.title)}</h2>\n${s.blocks.map(block).join("\n")}</section>`);
  const figures = doc.sections.flatMap((s) => s.blocks).filter((b): b is Figure => b.kind === "figure");
  const appendix = [
    `<h3>Figure data</h3>`, ...figures.map((f) => table(figureTable(f))),
    `<h3>Queries</h3><p>Every number above names one of these queries (lib/store/report-queries.ts), run with these parameters.</p>`,
    ...doc.queries.map((q) => `<h4><code>${esc(q.name)}</code> (${q.rows} rows; parameters <code>${esc(JSON.stringify(q.params))}</code>)</h4><pre>${esc(q.sql)}</pre>`),
    `<h3>Evidence rows</h3><p>${doc.evidence.length ? `${doc.evidence.length} rows of evidence_results, by row_id:` : "None cited."}</p>`,
    ...(doc.evidence.length ? [`<p class="ids">${doc.evidence.map(esc).join(" ")}</p>`] : []),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="quantlens ${esc(doc.header.toolVersion)}">
<title>${esc(doc.header.title)}</title><style>${REPORT_CSS}</style></head>
<body><header><h1>${esc(doc.header.title)}</h1><dl class="header">${head}</dl></header>
${sections.join("\n")}
<section class="report-section" id="appendix"><h2>Appendix</h2>${appendix.join("\n")}</section>
</body></html>
`;
}
