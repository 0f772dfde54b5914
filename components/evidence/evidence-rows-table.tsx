"use client";
/** The rows behind the charts (or behind one reason), sortable, with their source, exportable as CSV. */
import { useMemo, useState } from "react";
import { getCoreRowModel, getSortedRowModel, useReactTable, type SortingState } from "@tanstack/react-table";
import type { ExplorerRow } from "@/lib/store/evidence-explorer.ts";
import { rowsToCsv } from "@/lib/report/csv.ts";
import { Button } from "@/components/ui/button.tsx";
import { downloadText } from "@/components/ui/download.ts";
import { DataTable } from "@/components/tables/data-table.tsx";
import { evidenceColumns, evidenceCsvColumns } from "./evidence-columns.tsx";

export function EvidenceRowsTable({ rows, filename, testId = "evidence-rows", maxHeight = 420 }: { rows: ExplorerRow[]; filename: string; testId?: string; maxHeight?: number }) {
  const [sorting, setSorting] = useState<SortingState>([]);
  const data = useMemo(() => rows, [rows]);
  const table = useReactTable<ExplorerRow>({
    data, columns: evidenceColumns, state: { sorting }, onSortingChange: setSorting, getRowId: (r) => r.row_id,
    getCoreRowModel: getCoreRowModel(), getSortedRowModel: getSortedRowModel(),
  });
  const exportCsv = () => downloadText(rowsToCsv(evidenceCsvColumns, table.getRowModel().rows.map((r) => r.original)), filename);
  return (
    <div className="space-y-2">
      <div className="flex items-center justify-between text-xs text-slate-500">
        <span data-testid={`${testId}-count`}>{rows.length.toLocaleString("en-US")} rows</span>
        <Button onClick={exportCsv} disabled={rows.length === 0} data-testid={`${testId}-export`}>Export CSV</Button>
      </div>
      <DataTable table={table} testId={testId} maxHeight={maxHeight} empty={<span>No rows match.</span>}
        rowAttributes={(r) => ({ "data-row-id": r.row_id })} />
    </div>
  );
}
