/**
 * The report page's renderer of lib/report's document model (the same tree the Markdown, HTML
 * and PDF renderers draw). React escapes every string; charts are the report's own SVG shown
 * through <img> data URLs, where an SVG can run no script.
 */
import type { ReactNode } from "react";
import { formatNum, sourceText } from "@/lib/report/format.ts";
import { figureTable } from "@/lib/report/figure-data.ts";
import type { Block, Figure, Inline, ReportDoc, Table } from "@/lib/report/model.ts";
import { blockSources, citeText, headerLines } from "@/lib/report/render/text.ts";
import { chartSvg } from "@/lib/report/svg/index.ts";
import { divergingShades } from "@/lib/report/render/shade.ts";

/** characters up to which inline code is never broken */
const SHORT_CODE = 24;

function InlineView({ x }: { x: Inline }): ReactNode {
  if (typeof x === "string") return x;
  if (x.kind === "num") return <span className="tabular-nums" title={sourceText(x)} data-source={sourceText(x)}>{formatNum(x)}</span>;
  // short codes (specs, ids) stay whole; long ones (tensor names) may break anywhere
  if (x.kind === "code") return <code className={`${x.text.length <= SHORT_CODE ? "whitespace-nowrap" : "break-all"} rounded bg-slate-100 px-1 font-mono text-xs`}>{x.text}</code>;
  return <span className="text-xs text-blue-700" title={x.ids.join(", ")}>{citeText(x)}</span>;
}

const inlines = (xs: Inline[]) => xs.map((x, i) => <InlineView key={i} x={x} />);

function TableView({ t }: { t: Table }) {
  const align = (i: number) => (t.columns[i]?.align === "right" ? "text-right tabular-nums" : "text-left");
  const shade = divergingShades(t);
  return (
    <table id={t.id} className="my-2 border-collapse text-sm">
      <caption className="pb-1 text-left font-semibold">{t.caption}</caption>
      <thead><tr>{t.columns.map((c, i) => <th key={i} className={`border-b border-slate-200 bg-slate-50 px-2 py-1 ${align(i)}`}>{c.label}</th>)}</tr></thead>
      <tbody>{t.rows.map((r, i) => <tr key={i}>{r.map((c, j) => {
        const s = shade(i, j);
        return <td key={j} className={`border-b border-slate-200 px-2 py-1 align-top ${align(j)}`} style={s ? { background: s.fill, color: s.text } : undefined}><InlineView x={c} /></td>;
      })}</tr>)}</tbody>
    </table>
  );
}

function Sources({ b }: { b: Block }) {
  const s = blockSources(b);
  const parts = [...(s.queries.length ? [`query ${s.queries.join(", ")}`] : []), ...(s.evidence.length ? [`evidence ${citeText({ kind: "cite", ids: s.evidence })}`] : []), ...s.via.map((v) => `via ${v}`)];
  return parts.length ? <p className="mb-3 text-xs text-slate-500">Source: {parts.join("; ")}</p> : null;
}

function FigureView({ f }: { f: Figure }) {
  const src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(chartSvg(f.chart))}`;
  return (
    <figure id={f.id} data-chart={f.chart.kind} className="my-3">
      {/* a data URL of our own SVG: an SVG shown by <img> runs no script */}
      <img src={src} alt={f.caption} className="max-w-full" />
      <figcaption className="text-sm text-slate-600">{f.caption}</figcaption>
      <details className="text-sm"><summary className="cursor-pointer text-slate-500">Data of this figure</summary><TableView t={figureTable(f)} /></details>
    </figure>
  );
}

function BlockView({ b }: { b: Block }) {
  const body = b.kind === "p" ? <p className="my-2">{inlines(b.content)}</p>
    : b.kind === "list" ? <ul className="my-2 list-disc pl-6">{b.items.map((it, i) => <li key={i}>{inlines(it)}</li>)}</ul>
    : b.kind === "table" ? <TableView t={b} /> : <FigureView f={b} />;
  return <>{body}<Sources b={b} /></>;
}

/** The whole report: header lines, numbered sections, and the appendix of queries and evidence rows. */
export function ReportView({ doc }: { doc: ReportDoc }) {
  return (
    <article className="mx-auto max-w-5xl space-y-6 text-slate-900">
      <header>
        <h1 className="text-2xl font-semibold">{doc.header.title}</h1>
        <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-4 text-sm text-slate-600">
          {headerLines(doc.header).map(([k, v]) => <div key={k} className="contents"><dt className="font-medium">{k}</dt><dd className="break-all">{v}</dd></div>)}
        </dl>
      </header>
      {doc.sections.map((s, i) => (
        <section key={s.id} id={s.id}>
          <h2 className="border-b border-slate-200 pb-1 text-lg font-semibold">{i + 1}. {s.title}</h2>
          {s.blocks.map((b, j) => <BlockView key={j} b={b} />)}
        </section>
      ))}
      <section id="appendix">
        <h2 className="border-b border-slate-200 pb-1 text-lg font-semibold">Appendix: queries</h2>
        {doc.queries.map((q) => (
          <div key={`${q.name}:${JSON.stringify(q.params)}`} className="my-2">
            <div className="text-sm"><code className="font-mono">{q.name}</code> ({q.rows} rows; parameters <code className="font-mono">{JSON.stringify(q.params)}</code>)</div>
            <pre className="whitespace-pre-wrap break-all bg-slate-50 p-2 text-xs">{q.sql}</pre>
          </div>
        ))}
        <p className="break-all font-mono text-xs text-slate-600">{doc.evidence.length ? `Evidence rows: ${doc.evidence.join(" ")}` : "No evidence rows cited."}</p>
      </section>
    </article>
  );
}
