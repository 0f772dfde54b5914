"use client";
/** Tensors tab: every tensor with its statistics and SQNR, filtered and sorted through the URL state. */
import { useMemo, useState } from "react";
import {
  getCoreRowModel, getFilteredRowModel, getSortedRowModel, useReactTable,
  type ColumnFiltersState, type SortingState, type Updater, type VisibilityState,
} from "@tanstack/react-table";
import { Card } from "@/components/ui/card.tsx";
import { TensorDetail } from "@/components/heatmap/tensor-detail.tsx";
import { tensorTableRows, type TensorTableRow } from "@/lib/analysis/analysis.ts";
import { rowsToCsv } from "@/lib/report/csv.ts";
import type { ViewState } from "@/lib/analysis/types.ts";
import { MODULE_ORDER_ALL } from "@/lib/viz/modules.ts";
import { csvValue, tensorColumns } from "./columns.tsx";
import { DataTable } from "./data-table.tsx";
import { DataTableToolbar } from "./data-table-toolbar.tsx";
import type { PanelProps } from "@/components/dashboard/panel-props.ts";
import { StoredQuantNote } from "@/components/overview/stored-quant-note.tsx";

const apply = <T,>(u: Updater<T>, old: T): T => (typeof u === "function" ? (u as (o: T) => T)(old) : u);

/** Hands a text file to the browser as a download. */
function download(text: string, filename: string, type = "text/csv;charset=utf-8") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url; a.download = filename;
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Safe file name part from a model id ("hf:org/name" -> "hf-org-name"). */
export const fileStem = (id: string) => id.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "model";

export function TensorPanel({ analysis, view, setView }: PanelProps) {
  const data = useMemo(() => tensorTableRows(analysis), [analysis]);
  const layers = useMemo(() => [...new Set(data.map((r) => r.layer).filter((l): l is number => l !== null))].sort((a, b) => a - b), [data]);
  const modules = useMemo(() => MODULE_ORDER_ALL.filter((m) => data.some((r) => r.module === m)), [data]);
  const [columnVisibility, setColumnVisibility] = useState<VisibilityState>({});

  // a hand-edited URL may name a column that does not exist: ignore it
  // Stable identities: TanStack memoises row models on these arrays, and a fresh array per render
  // recomputes them, whose auto-reset then sets table state again: an endless render loop.
  const sortId = view.sort?.id ?? null, sortDesc = view.sort?.desc ?? false;
  const sorting: SortingState = useMemo(
    () => (sortId !== null && tensorColumns.some((c) => c.id === sortId) ? [{ id: sortId, desc: sortDesc }] : []), [sortId, sortDesc]);
  const { layer, module } = view.filters;
  const columnFilters: ColumnFiltersState = useMemo(() => [
    ...(layer !== null ? [{ id: "layer", value: layer }] : []),
    ...(module !== null ? [{ id: "module", value: module }] : []),
  ], [layer, module]);
  const setFilters = (filters: ViewState["filters"]) => setView({ filters });

  const table = useReactTable<TensorTableRow>({
    data, columns: tensorColumns,
    state: { sorting, columnFilters, globalFilter: view.filters.text, columnVisibility },
    getRowId: (r) => r.name,
    onSortingChange: (u) => {
      const next = apply(u, sorting)[0];
      setView({ sort: next ? { id: next.id, desc: next.desc } : null });
    },
    onColumnFiltersChange: (u) => {
      const next = apply(u, columnFilters);
      const get = (id: string) => next.find((f) => f.id === id)?.value;
      setFilters({ ...view.filters, layer: (get("layer") as number | undefined) ?? null, module: (get("module") as string | undefined) ?? null });
    },
    onGlobalFilterChange: (u) => setFilters({ ...view.filters, text: String(apply(u, view.filters.text) ?? "") }),
    globalFilterFn: (row, _id, value: string) => row.original.name.toLowerCase().includes(value.trim().toLowerCase()),
    onColumnVisibilityChange: setColumnVisibility,
    getCoreRowModel: getCoreRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    getSortedRowModel: getSortedRowModel(),
    enableSortingRemoval: true,
    // no pagination: nothing to reset when rows change
    autoResetAll: false,
  });

  const exportCsv = () => {
    const cols = table.getVisibleLeafColumns().map((c) => ({ header: c.columnDef.meta?.label ?? c.id, value: (r: TensorTableRow) => csvValue(r, c.id) }));
    download(rowsToCsv(cols, table.getRowModel().rows.map((r) => r.original)), `${fileStem(analysis.id)}-tensors.csv`);
  };

  const selected = view.tensor ? analysis.tensors.find((t) => t.name === view.tensor) ?? null : null;
  return (
    <div className="space-y-6">
      <Card title="Tensors">
        <p className="-mt-2 mb-4 text-sm text-slate-600">
          Statistics of every tensor and the signal-to-quantization-noise ratio of round-to-nearest weight quantization
          (asymmetric, group size 128). Heavy tails (high kurtosis, high absmax/std) and low SQNR mark the tensors that break first.
          Click a row for its histogram and top channels.
        </p>
        <StoredQuantNote model={analysis.model} where="tensors" />
        <div className="space-y-3">
          <DataTableToolbar table={table} filters={view.filters} setFilters={setFilters} layers={layers} modules={modules}
            total={data.length} onExport={exportCsv} />
          <DataTable table={table} testId="tensor-table" selectedId={view.tensor}
            onRowClick={(name) => setView({ tensor: name === view.tensor ? null : name })}
            empty={data.length ? "No tensor matches these filters." : "This model has no tensors."} />
        </div>
      </Card>
      {selected && <TensorDetail analysis={analysis} tensor={selected} onClose={() => setView({ tensor: null })} />}
    </div>
  );
}
