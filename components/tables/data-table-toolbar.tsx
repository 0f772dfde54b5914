"use client";
/** Tensor table toolbar: text search, layer and module filters, column visibility, CSV export. */
import type { Table } from "@tanstack/react-table";
import type { TensorTableRow } from "@/lib/analysis/analysis.ts";
import type { ViewState } from "@/lib/analysis/types.ts";

const control = "h-8 rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-800 shadow-sm focus:border-slate-500 focus:outline-none focus:ring-2 focus:ring-slate-200";

export interface ToolbarProps {
  table: Table<TensorTableRow>;
  filters: ViewState["filters"];
  setFilters: (f: ViewState["filters"]) => void;
  layers: number[];
  modules: string[];
  total: number;
  onExport: () => void;
}

/** Filters write through `setFilters` (URL state); column visibility is local to the page. */
export function DataTableToolbar({ table, filters, setFilters, layers, modules, total, onExport }: ToolbarProps) {
  const shown = table.getRowModel().rows.length;
  const active = filters.layer !== null || filters.module !== null || filters.text !== "";
  return (
    <div className="flex flex-wrap items-center gap-2">
      <input type="search" value={filters.text} placeholder="Filter tensors…" aria-label="Filter tensors by name"
        onChange={(e) => setFilters({ ...filters, text: e.target.value })} className={`${control} w-56`} />
      <select aria-label="Filter by layer" value={filters.layer ?? ""} className={control}
        onChange={(e) => setFilters({ ...filters, layer: e.target.value === "" ? null : Number(e.target.value) })}>
        <option value="">All layers</option>
        {layers.map((l) => <option key={l} value={l}>layer {l}</option>)}
      </select>
      <select aria-label="Filter by module" value={filters.module ?? ""} className={control}
        onChange={(e) => setFilters({ ...filters, module: e.target.value === "" ? null : e.target.value })}>
        <option value="">All modules</option>
        {modules.map((m) => <option key={m} value={m}>{m}</option>)}
      </select>
      {active && (
        <button type="button" onClick={() => setFilters({ layer: null, module: null, text: "" })}
          className="h-8 rounded-md px-2 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900">Reset</button>
      )}
      <span className="ml-auto text-xs tabular-nums text-slate-500" aria-live="polite">{shown === total ? `${total} tensors` : `${shown} of ${total} tensors`}</span>
      <details className="relative">
        <summary className={`${control} flex cursor-pointer list-none items-center gap-1 select-none`}>Columns ▾</summary>
        <div className="absolute right-0 z-20 mt-1 w-44 rounded-md border border-slate-200 bg-white p-2 shadow-lg">
          {table.getAllLeafColumns().filter((c) => c.getCanHide()).map((c) => (
            <label key={c.id} className="flex items-center gap-2 rounded px-1 py-0.5 text-sm hover:bg-slate-50">
              <input type="checkbox" checked={c.getIsVisible()} onChange={c.getToggleVisibilityHandler()} />
              {c.columnDef.meta?.label ?? c.id}
            </label>
          ))}
        </div>
      </details>
      <button type="button" onClick={onExport} disabled={shown === 0}
        className={`${control} hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-50`}>Export CSV</button>
    </div>
  );
}
