"use client";
/**
 * The file's raw metadata (GGUF key/values, safetensors __metadata__, config.json, ONNX opset and
 * producer) as a searchable key/value table; long arrays show their first items and their length.
 * Keys and values render as text.
 */
import { useMemo, useState } from "react";
import { Card } from "@/components/ui/card.tsx";
import { searchMetadata, type MetadataRow } from "@/lib/analysis/metadata.ts";
import { fmtInt } from "@/lib/viz/format.ts";

export function MetadataTable({ rows }: { rows: MetadataRow[] | undefined }) {
  const [query, setQuery] = useState("");
  const shown = useMemo(() => searchMetadata(rows ?? [], query), [rows, query]);
  return (
    <Card title="File metadata">
      {!rows ? (
        <p className="text-sm text-slate-500" data-testid="metadata-absent">
          The file&apos;s own metadata is shown for a model opened in this page; the demo, reopened runs and bundles keep its architecture (above) only.
        </p>
      ) : (
        <>
          <div className="mb-3 flex items-center gap-3">
            <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Search metadata" placeholder="Search keys and values…"
              className="w-72 rounded-md border border-slate-300 px-3 py-1.5 text-sm" data-testid="metadata-search" />
            <span className="text-xs text-slate-500 tabular-nums">{shown.length === rows.length ? `${fmtInt(rows.length)} keys` : `${fmtInt(shown.length)} of ${fmtInt(rows.length)} keys`}</span>
          </div>
          <div className="max-h-[480px] overflow-auto rounded-lg border border-slate-200">
            <table className="w-full table-fixed text-sm" data-testid="metadata-table">
              <thead className="sticky top-0 bg-slate-50 text-left text-xs text-slate-500">
                <tr><th className="w-2/5 px-2 py-2 font-medium">key</th><th className="px-2 py-2 font-medium">value</th></tr>
              </thead>
              <tbody>
                {shown.map((r) => (
                  <tr key={r.key} className="border-t border-slate-100 align-top" data-testid="metadata-row" data-key={r.key}>
                    <td className="break-all px-2 py-1.5 font-mono text-xs text-slate-700">{r.key}</td>
                    <td className="px-2 py-1.5 text-xs">
                      {r.length !== null && <span className="mr-2 rounded bg-slate-100 px-1.5 py-0.5 text-[11px] text-slate-600" data-testid="metadata-length">{fmtInt(r.length)} items</span>}
                      <span className="break-all font-mono text-slate-800">{r.value}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Card>
  );
}
