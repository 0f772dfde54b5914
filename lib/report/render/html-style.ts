/** The standalone report's stylesheet: screen reading, and print (A4, a page break before each section, figures and tables kept whole). */
export const REPORT_CSS = `
:root { color-scheme: light; }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111827; margin: 0 auto; max-width: 980px; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 8px; } h2 { font-size: 19px; border-bottom: 1px solid #e5e7eb; padding-bottom: 4px; margin-top: 32px; }
h3 { font-size: 16px; margin-top: 20px; }
dl.header { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; font-size: 13px; color: #374151; }
dl.header dt { font-weight: 600; } dl.header dd { margin: 0; word-break: break-all; }
table { border-collapse: collapse; margin: 8px 0; font-size: 12.5px; }
caption { caption-side: top; text-align: left; font-weight: 600; padding-bottom: 4px; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f9fafb; font-weight: 600; } td.r, th.r { text-align: right; font-variant-numeric: tabular-nums; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; background: #f3f4f6; padding: 0 3px; border-radius: 3px; word-break: break-all; }
.src { color: #6b7280; font-size: 11.5px; margin: 2px 0 12px; }
.cite { color: #1d4ed8; font-size: 12px; }
figure { margin: 12px 0; } figure svg { max-width: 100%; height: auto; } figcaption { font-size: 12.5px; color: #374151; }
p.ids { font: 10px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; color: #374151; word-spacing: 4px; }
pre { white-space: pre-wrap; word-break: break-all; font-size: 11px; background: #f9fafb; padding: 6px; border: 1px solid #e5e7eb; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11.5px; }
  p.ids { font-size: 7px; }
  section.report-section { break-before: page; }
  section.report-section.first { break-before: auto; }
  figure, table, pre, dl.header { break-inside: avoid; }
  h2, h3, caption { break-after: avoid; }
  details { display: none; }
}
`;
