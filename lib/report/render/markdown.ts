/**
 * The report as GitHub-flavoured Markdown: header lines first, GFM tables, each block followed by
 * the queries its numbers came from. Text from model files is escaped (HTML entities and
 * Markdown punctuation), so a tensor named `<img src=x onerror=alert(1)>` stays text.
 */
import { formatNum } from "../format.ts";
import { figureTable } from "../figure-data.ts";
import type { Block, Figure, Inline, ReportDoc, Table } from "../model.ts";
import { chartSvg } from "../svg/index.ts";
import { blockSources, citeText, headerLines } from "./text.ts";
import { maxOf } from "../../tensor/extent.ts";

/** figures: "files" links `<figurePrefix><id>.svg` (returned in `files`); "omit" writes a note instead. */
export interface MarkdownOptions { figures?: "files" | "omit"; figurePrefix?: string }

/** Escapes text for Markdown: HTML-significant characters as entities; emphasis, code, link, table and strike punctuation with a backslash. */
export function escapeMarkdown(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/([\\`*_[\]|~])/g, "\\$1").replace(/\r?\n/g, " ");
}

/** Inline code: a backtick fence longer than any run inside; pipes escaped (GFM tables split on them). */
function codeSpan(s: string): string {
  const longest = maxOf((s.match(/`+/g) ?? []).map((r) => r.length), 0);
  const fence = "`".repeat(longest + 1);
  const body = s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
  return `${fence}${/^`|`$/.test(body) ? ` ${body} ` : body}${fence}`;
}

function inline(x: Inline): string {
  if (typeof x === "string") return escapeMarkdown(x);
  if (x.kind === "num") return escapeMarkdown(formatNum(x));
  if (x.kind === "code") return codeSpan(x.text);
  return escapeMarkdown(citeText(x));
}

function table(t: Table): string {
  const head = `| ${t.columns.map((c) => escapeMarkdown(c.label)).join(" | ")} |`;
  const rule = `| ${t.columns.map((c) => (c.align === "right" ? "---:" : "---")).join(" | ")} |`;
  const rows = t.rows.map((r) => `| ${r.map(inline).join(" | ")} |`);
  return [`**${escapeMarkdown(t.caption)}**`, "", head, rule, ...rows].join("\n");
}

function sources(b: Block): string {
  const s = blockSources(b);
  const parts = [
    ...(s.queries.length ? [`${s.queries.length > 1 ? "queries" : "query"} ${s.queries.map(codeSpan).join(", ")}`] : []),
    ...(s.evidence.length ? [`evidence ${escapeMarkdown(citeText({ kind: "cite", ids: s.evidence }))}`] : []),
    ...s.via.map((v) => `via ${escapeMarkdown(v)}`),
  ];
  return parts.length ? `\n\n<sub>Source: ${parts.join("; ")}</sub>` : "";
}

/** The report as Markdown, plus the SVG files its figures link to (empty with figures "omit"). */
export function renderMarkdown(doc: ReportDoc, opts: MarkdownOptions = {}): { markdown: string; files: Record<string, string> } {
  const files: Record<string, string> = {};
  const figure = (f: Figure): string => {
    if (opts.figures === "files") {
      const path = `${opts.figurePrefix ?? ""}${f.id}.svg`;
      files[path] = `${chartSvg(f.chart)}\n`;
      return `![${escapeMarkdown(f.caption)}](${encodeURI(path)})\n\n*Figure: ${escapeMarkdown(f.caption)}* (data in the appendix)`;
    }
    return `*Figure: ${escapeMarkdown(f.caption)}*: charts are omitted in Markdown (see the HTML or PDF report); its data is in the appendix.`;
  };
  const block = (b: Block): string => {
    switch (b.kind) {
      case "p": return b.content.map(inline).join("").replace(/^([#+=-]|\d+\.)/, "\\$1") + sources(b);
      case "list": return b.items.map((i) => `- ${i.map(inline).join("")}`).join("\n") + sources(b);
      case "table": return table(b) + sources(b);
      case "figure": return figure(b) + sources(b);
    }
  };
  const out: string[] = [`# ${escapeMarkdown(doc.header.title)}`, "", ...headerLines(doc.header).map(([k, v]) => `- ${k}: ${escapeMarkdown(v)}`)];
  doc.sections.forEach((s, i) => out.push("", `## ${i + 1}. ${escapeMarkdown(s.title)}`, ...s.blocks.flatMap((b) => ["", block(b)])));
  out.push("", "## Appendix", "", "### Figure data");
  for (const f of doc.sections.flatMap((s) => s.blocks).filter((b): b is Figure => b.kind === "figure")) out.push("", table(figureTable(f)));
  out.push("", "### Queries", "", "Every number above names one of these queries (lib/store/report-queries.ts), run with these parameters:");
  for (const q of doc.queries) out.push("", `**${escapeMarkdown(q.name)}** (${q.rows} rows; parameters ${escapeMarkdown(JSON.stringify(q.params))})`, "", "```sql", q.sql, "```");
  out.push("", "### Evidence rows", "", doc.evidence.length ? doc.evidence.map((e) => codeSpan(e)).join(", ") : "None cited.");
  return { markdown: `${out.join("\n")}\n`, files };
}
