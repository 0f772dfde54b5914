"use client";
/** Columns of the evidence rows table: what each shows and exports (raw values in the CSV). */
import type { ColumnDef } from "@tanstack/react-table";
import type { ExplorerRow } from "@/lib/store/evidence-explorer.ts";
import type { CsvColumn } from "@/lib/report/csv.ts";

const fmt = (v: number | null, d = 2) => (v === null ? "–" : v.toFixed(d));
const text = (key: keyof ExplorerRow, label: string, grow = false): ColumnDef<ExplorerRow> => ({
  id: key, accessorFn: (r) => r[key] ?? "", header: label, meta: { label, grow },
  cell: (c) => <span className="whitespace-nowrap">{String(c.getValue())}</span>,
});
const num = (key: keyof ExplorerRow, label: string, d = 2): ColumnDef<ExplorerRow> => ({
  id: key, accessorFn: (r) => r[key] as number | null, header: label, meta: { label, numeric: true }, cell: (c) => fmt(c.getValue() as number | null, d),
});

export const evidenceColumns: ColumnDef<ExplorerRow>[] = [
  text("model", "model"), num("size_b", "size B", 3), text("dataset", "dataset"), text("context_bucket", "context"), text("spec", "spec"),
  text("method", "method"), num("value", "score"), num("fp16", "FP16"), num("rel_pct", "% of FP16", 1), num("drop_pct", "drop %", 2),
  {
    id: "source", accessorFn: (r) => r.source, header: "source", meta: { label: "source", grow: true, title: "the file or table the number comes from" },
    cell: (c) => <span className="block max-w-72 truncate text-[11px] text-slate-500" title={String(c.getValue())}>{String(c.getValue()).replace(/^qllm-eval:qllm_eval\/visualization\//, "qllm-eval: ")}</span>,
  },
  text("row_id", "row id"),
];

/** Every column of a row, raw, for the CSV export (more than the table shows). */
export const evidenceCsvColumns: CsvColumn<ExplorerRow>[] = (
  ["row_id", "source", "family", "model", "size_b", "task_category", "ability", "dataset", "context_bucket", "quant_target", "spec", "method", "bits", "metric", "value", "fp16", "rel_pct", "drop_pct"] as const
).map((k) => ({ header: k, value: (r: ExplorerRow) => r[k] }));
