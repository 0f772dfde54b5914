"use client";
/**
 * Generic virtualised table (TanStack Table state + TanStack Virtual rows). State is controlled by
 * the caller so it can live in the URL. Rows are absolutely positioned inside a grid-display table
 * (TanStack's virtualized-rows example): one <tr> per rendered row, no spacer rows.
 */
import { useRef } from "react";
import {
  flexRender, type Table as TanTable,
} from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";

export const ROW_HEIGHT = 34;
/** Up to this many rows every row is rendered (small models need no virtualisation, and e2e tests count rows). */
export const RENDER_ALL_BELOW = 200;

export interface DataTableProps<T> {
  table: TanTable<T>;
  /** called with the row's id when a row is clicked or activated with Enter */
  onRowClick?: (id: string) => void;
  selectedId?: string | null;
  /** max height of the scroll area in px */
  maxHeight?: number;
  testId?: string;
  empty?: React.ReactNode;
}

/** The table body of `table`: sortable headers, virtual rows, keyboard-activatable rows. */
export function DataTable<T>({ table, onRowClick, selectedId, maxHeight = 560, testId, empty }: DataTableProps<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = table.getRowModel().rows;
  const virtualizer = useVirtualizer({
    count: rows.length,
    estimateSize: () => ROW_HEIGHT,
    getScrollElement: () => scrollRef.current,
    overscan: rows.length <= RENDER_ALL_BELOW ? RENDER_ALL_BELOW : 12,
    initialRect: { width: 1000, height: maxHeight },
  });
  const items = virtualizer.getVirtualItems();
  const columns = table.getVisibleLeafColumns();
  const minWidth = columns.reduce((s, c) => s + c.getSize(), 0);
  const colStyle = (c: (typeof columns)[number]) => (c.columnDef.meta?.grow
    ? { flex: `1 0 ${c.getSize()}px`, minWidth: c.getSize() } : { flex: `0 0 ${c.getSize()}px`, width: c.getSize() });

  return (
    <div ref={scrollRef} className="relative overflow-auto rounded-lg border border-slate-200" style={{ maxHeight }}>
      <table className="grid w-full text-sm" style={{ minWidth }} data-testid={testId} data-total-rows={rows.length}>
        <thead className="sticky top-0 z-10 grid bg-slate-50/95 backdrop-blur">
          {table.getHeaderGroups().map((hg) => (
            <tr key={hg.id} className="flex w-full border-b border-slate-200">
              {hg.headers.map((h) => {
                const c = h.column;
                const sorted = c.getIsSorted();
                const numeric = c.columnDef.meta?.numeric;
                return (
                  <th key={h.id} style={colStyle(c)} scope="col"
                    aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                    className={`px-3 py-2 text-xs font-medium tracking-wide text-slate-500 ${numeric ? "text-right" : "text-left"}`}>
                    {c.getCanSort() ? (
                      <button type="button" onClick={c.getToggleSortingHandler()}
                        className={`inline-flex items-center gap-1 hover:text-slate-900 ${numeric ? "flex-row-reverse" : ""} ${sorted ? "text-slate-900" : ""}`}>
                        <span>{flexRender(c.columnDef.meta?.label ?? h.id, h.getContext())}</span>
                        <span aria-hidden className="w-2 text-[10px]">{sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : ""}</span>
                      </button>
                    ) : c.columnDef.meta?.label}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody className="relative grid" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((vi) => {
            const row = rows[vi.index]!;
            const selected = row.id === selectedId;
            return (
              <tr key={row.id} data-index={vi.index} ref={virtualizer.measureElement}
                tabIndex={onRowClick ? 0 : undefined} aria-selected={selected || undefined}
                onClick={onRowClick ? () => onRowClick(row.id) : undefined}
                onKeyDown={onRowClick ? (e) => { if (e.key === "Enter") onRowClick(row.id); } : undefined}
                className={`absolute flex w-full items-center border-b border-slate-100 outline-none ${onRowClick ? "cursor-pointer" : ""} ${selected ? "bg-amber-50" : "hover:bg-slate-50 focus-visible:bg-slate-100"}`}
                style={{ transform: `translateY(${vi.start}px)`, minHeight: ROW_HEIGHT }}>
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} style={colStyle(cell.column)}
                    className={`px-3 py-1.5 ${cell.column.columnDef.meta?.numeric ? "text-right tabular-nums" : ""}`}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      {rows.length === 0 && <div className="px-4 py-10 text-center text-sm text-slate-500">{empty ?? "No rows."}</div>}
    </div>
  );
}
