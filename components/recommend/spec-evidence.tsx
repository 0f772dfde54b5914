"use client";
/** One reason of a spec, expandable to its evidence rows (read from the store on first open) and aggregate. */
import { useState } from "react";
import { fetchExplorerRowsByIds, type ExplorerRow } from "@/lib/store/evidence-explorer.ts";
import type { Store } from "@/lib/store/store.ts";
import { EvidenceRowsTable } from "@/components/evidence/evidence-rows-table.tsx";

export function SpecEvidence({ store, title, detail, ids, testId }: { store: Store; title: string; detail: string; ids: string[]; testId: string }) {
  const [rows, setRows] = useState<ExplorerRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const onToggle = (open: boolean) => {
    if (open && rows === null) fetchExplorerRowsByIds(store, ids).then(setRows, (e: Error) => setError(e.message));
  };
  return (
    <details className="rounded border border-slate-200 bg-slate-50 px-2 py-1 text-xs" data-testid={testId} onToggle={(e) => onToggle((e.target as HTMLDetailsElement).open)}>
      <summary className="cursor-pointer text-slate-700">{title} <span className="text-slate-400">· {ids.length} rows</span></summary>
      <p className="my-1 text-slate-600">{detail}</p>
      {error && <p className="text-red-700">{error}</p>}
      {rows && <EvidenceRowsTable rows={rows} filename={`quantlens-evidence-${testId}.csv`} testId={`${testId}-rows`} maxHeight={260} />}
    </details>
  );
}
