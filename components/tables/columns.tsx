"use client";
/** Column definitions of the tensor table: what each column shows, how it sorts, filters and exports. */
import type { ColumnDef, FilterFn } from "@tanstack/react-table";
import type { TensorTableRow } from "@/lib/analysis/analysis.ts";
import { fmtDb, fmtNum, fmtPct } from "@/lib/viz/format.ts";

const equals: FilterFn<TensorTableRow> = (row, id, value) => value === null || value === undefined || row.getValue(id) === value;

/** Sorts nulls last whatever the direction (d3.ascending-like with missing values at the end). */
const num = (key: keyof TensorTableRow) => ({
  accessorFn: (r: TensorTableRow) => r[key] as number | null,
  sortUndefined: "last" as const,
  sortingFn: (a: { getValue: (id: string) => unknown }, b: { getValue: (id: string) => unknown }, id: string) => {
    const x = a.getValue(id) as number | null, y = b.getValue(id) as number | null;
    if (x === null) return y === null ? 0 : 1;
    if (y === null) return -1;
    return x < y ? -1 : x > y ? 1 : 0;
  },
  sortDescFirst: true,
});

const dimmed = (s: string) => <span className="text-slate-400">{s}</span>;
const cellNum = (v: number | null) => (v === null ? dimmed("–") : fmtNum(v));

/** A tensor name that wraps only after its dots (names from model files are text, never markup). */
export function TensorName({ name }: { name: string }) {
  // one line; a long name loses its start (the common "model.layers.N."), never the module: the full name is the tooltip
  return (
    <span className="block max-w-[11rem] truncate text-left font-mono text-[11px] leading-4 text-slate-800" dir="rtl" title={name} data-testid="tensor-name">
      <bdi dir="ltr">{name}</bdi>
    </span>
  );
}

/** SQNR cell coloured by how much signal survives: < 10 dB red, < 20 dB amber. */
function SqnrCell({ v }: { v: number | null }) {
  if (v === null) return dimmed("–");
  const tone = v < 10 ? "text-red-700 font-semibold" : v < 20 ? "text-amber-700" : "text-slate-800";
  return <span className={tone}>{fmtDb(v, false)}</span>;
}

/** Every column the table can show; ids are the TensorTableRow keys (ViewState.sort.id uses them). */
export const tensorColumns: ColumnDef<TensorTableRow, unknown>[] = [
  {
    id: "name", accessorKey: "name", size: 208, meta: { label: "tensor", grow: true },
    cell: ({ getValue }) => <TensorName name={getValue() as string} />,
    enableHiding: false,
  },
  {
    id: "layer", accessorKey: "layer", size: 52, meta: { label: "layer", numeric: true }, filterFn: equals, ...num("layer"), sortDescFirst: false,
    cell: ({ getValue }) => (getValue() === null ? dimmed("–") : String(getValue())),
  },
  { id: "module", accessorKey: "module", size: 68, meta: { label: "module" }, filterFn: equals, cell: ({ getValue }) => getValue() as string },
  {
    id: "shape", accessorFn: (r) => r.shape.join("×"), size: 80, meta: { label: "shape", numeric: true }, enableSorting: false,
    cell: ({ getValue }) => <span className="text-slate-600">{getValue() as string}</span>,
  },
  { id: "dtype", accessorKey: "dtype", size: 56, meta: { label: "dtype" }, cell: ({ getValue }) => <span className="text-slate-600">{getValue() as string}</span> },
  { id: "absmax", ...num("absmax"), size: 72, meta: { label: "absmax", numeric: true }, cell: ({ getValue }) => cellNum(getValue() as number | null) },
  { id: "std", ...num("std"), size: 72, meta: { label: "std", numeric: true }, cell: ({ getValue }) => cellNum(getValue() as number | null) },
  {
    id: "kurtosis", ...num("kurtosis"), size: 72, meta: { label: "kurtosis", numeric: true },
    cell: ({ getValue }) => <span className="font-medium">{cellNum(getValue() as number | null)}</span>,
  },
  {
    id: "outlier_fraction", ...num("outlier_fraction"), size: 80, meta: { label: ">6σ share", numeric: true },
    cell: ({ getValue }) => (getValue() === null ? dimmed("–") : fmtPct(getValue() as number)),
  },
  { id: "absmax_over_std", ...num("absmax_over_std"), size: 84, meta: { label: "absmax/std", numeric: true }, cell: ({ getValue }) => cellNum(getValue() as number | null) },
  { id: "sqnr_w8", ...num("sqnr_w8"), size: 64, meta: { label: "W8 dB", numeric: true }, cell: ({ getValue }) => <SqnrCell v={getValue() as number | null} /> },
  { id: "sqnr_w4", ...num("sqnr_w4"), size: 64, meta: { label: "W4 dB", numeric: true }, cell: ({ getValue }) => <SqnrCell v={getValue() as number | null} /> },
  { id: "sqnr_w3", ...num("sqnr_w3"), size: 64, meta: { label: "W3 dB", numeric: true }, cell: ({ getValue }) => <SqnrCell v={getValue() as number | null} /> },
];

/** Column id -> CSV value of a row (raw numbers, not the formatted cell). */
export function csvValue(row: TensorTableRow, id: string): string | number | null {
  if (id === "shape") return row.shape.join("x");
  const v = (row as unknown as Record<string, unknown>)[id];
  return typeof v === "number" || typeof v === "string" ? v : null;
}
