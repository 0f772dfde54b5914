"use client";
/**
 * Generic table over a TanStack Table instance; state is controlled by the caller so it can live
 * in the URL. Up to RENDER_ALL_BELOW rows it is a plain <table> (every row in the DOM, so find-in-page
 * and e2e tests see them all); above, rows are virtualised with TanStack Virtual inside a grid-display
 * table (TanStack's virtualized-rows example): one absolutely positioned <tr> per rendered row.
 */
import { useRef, type CSSProperties, type ReactNode } from "react";
import { flexRender, type Column, type Row, type RowData, type Table as TanTable } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";

declare module "@tanstack/react-table" {
  interface ColumnMeta<TData extends RowData, TValue> {
    /** header text (also the CSV header and the visibility menu label) */
    label: string;
    /** right-aligned, tabular figures */
    numeric?: boolean;
    /** a wide column that takes the remaining width */
    grow?: boolean;
    /** the header's tooltip */
    title?: string;
  }
}

export const ROW_HEIGHT = 34;
/** Up to this many rows every row is rendered: small models need no virtualisation. */
export const RENDER_ALL_BELOW = 300;

export interface DataTableProps<T> {
  table: TanTable<T>;
  /** called with the row's id when a row is clicked or activated with Enter */
  onRowClick?: (id: string) => void;
  selectedId?: string | null;
  /** max height of the scroll area in px */
  maxHeight?: number;
  testId?: string;
  empty?: ReactNode;
  /** data-* attributes of a row's <tr> (test ids, keys for tests) */
  rowAttributes?: (row: T) => Record<`data-${string}`, string>;
}

/** Sortable headers and rows of `table`; keyboard-activatable rows when `onRowClick` is given. */
export function DataTable<T>(props: DataTableProps<T>) {
  const n = props.table.getRowModel().rows.length;
  return n > RENDER_ALL_BELOW ? <VirtualTable {...props} /> : <PlainTable {...props} />;
}

function Header<T>({ column: c, style }: { column: Column<T, unknown>; style?: CSSProperties }) {
  const sorted = c.getIsSorted();
  const numeric = c.columnDef.meta?.numeric;
  const label = c.columnDef.meta?.label ?? c.id;
  return (
    <th style={style} scope="col" title={c.columnDef.meta?.title} aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
      className={`px-1.5 py-2 align-middle text-xs font-medium tracking-wide whitespace-nowrap text-slate-500 ${numeric ? "text-right" : "text-left"}`}>
      {c.getCanSort() ? (
        <button type="button" onClick={c.getToggleSortingHandler()}
          className={`inline-flex items-center gap-1 align-middle hover:text-slate-900 ${numeric ? "flex-row-reverse" : ""} ${sorted ? "text-slate-900" : ""}`}>
          <span>{label}</span>
          <span aria-hidden className="w-2 text-[10px]">{sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : ""}</span>
        </button>
      ) : label}
    </th>
  );
}

function rowProps<T>(row: Row<T>, { onRowClick, selectedId, rowAttributes }: DataTableProps<T>) {
  const selected = row.id === selectedId;
  return {
    ...rowAttributes?.(row.original),
    tabIndex: onRowClick ? 0 : undefined,
    "aria-selected": selected || undefined,
    onClick: onRowClick ? () => onRowClick(row.id) : undefined,
    onKeyDown: onRowClick ? (e: React.KeyboardEvent) => { if (e.key === "Enter") onRowClick(row.id); } : undefined,
    className: `border-b border-slate-100 outline-none ${onRowClick ? "cursor-pointer" : ""} ${selected ? "bg-amber-50" : "hover:bg-slate-50 focus-visible:bg-slate-100"}`,
  };
}

const cellClass = (numeric?: boolean) => `px-1.5 py-1.5 ${numeric ? "text-right tabular-nums whitespace-nowrap" : ""}`;

function Empty({ show, children }: { show: boolean; children?: ReactNode }) {
  return show ? <div className="px-4 py-10 text-center text-sm text-slate-500">{children ?? "No rows."}</div> : null;
}

function PlainTable<T>(props: DataTableProps<T>) {
  const { table, maxHeight = 560, testId, empty } = props;
  const rows = table.getRowModel().rows;
  return (
    <div className="overflow-auto rounded-lg border border-slate-200" style={{ maxHeight }}>
      <table className="w-full text-sm" data-testid={testId} data-total-rows={rows.length}>
        <thead className="sticky top-0 z-10 bg-slate-50 shadow-[inset_0_-1px_0_rgb(226_232_240)]">
          {table.getHeaderGroups().map((hg) => (
            <tr key={hg.id}>{hg.headers.map((h) => <Header key={h.id} column={h.column} style={h.column.columnDef.meta?.grow ? { minWidth: 160 } : { width: "1%" }} />)}</tr>
          ))}
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} {...rowProps(row, props)} style={{ height: ROW_HEIGHT }}>
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id} className={cellClass(cell.column.columnDef.meta?.numeric)}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <Empty show={rows.length === 0}>{empty}</Empty>
    </div>
  );
}

function VirtualTable<T>(props: DataTableProps<T>) {
  const { table, maxHeight = 560, testId, empty } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = table.getRowModel().rows;
  const virtualizer = useVirtualizer({
    count: rows.length,
    estimateSize: () => ROW_HEIGHT,
    getScrollElement: () => scrollRef.current,
    overscan: 12,
    initialRect: { width: 1000, height: maxHeight },
  });
  const columns = table.getVisibleLeafColumns();
  const minWidth = columns.reduce((s, c) => s + c.getSize(), 0);
  const colStyle = (c: Column<T, unknown>): CSSProperties => (c.columnDef.meta?.grow
    ? { flex: `1 0 ${c.getSize()}px`, minWidth: c.getSize(), overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }
    : { flex: `0 0 ${c.getSize()}px`, width: c.getSize() });
  return (
    <div ref={scrollRef} className="relative overflow-auto rounded-lg border border-slate-200" style={{ maxHeight }}>
      <table className="grid w-full text-sm" style={{ minWidth }} data-testid={testId} data-total-rows={rows.length}>
        <thead className="sticky top-0 z-10 grid bg-slate-50">
          {table.getHeaderGroups().map((hg) => (
            <tr key={hg.id} className="flex w-full border-b border-slate-200">
              {hg.headers.map((h) => <Header key={h.id} column={h.column} style={colStyle(h.column)} />)}
            </tr>
          ))}
        </thead>
        <tbody className="relative grid" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((vi) => {
            const row = rows[vi.index]!;
            const p = rowProps(row, props);
            return (
              <tr key={row.id} data-index={vi.index} {...p} className={`${p.className} absolute flex w-full items-center`}
                style={{ transform: `translateY(${vi.start}px)`, height: ROW_HEIGHT }}>
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} style={colStyle(cell.column)} className={cellClass(cell.column.columnDef.meta?.numeric)}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      <Empty show={rows.length === 0}>{empty}</Empty>
    </div>
  );
}
