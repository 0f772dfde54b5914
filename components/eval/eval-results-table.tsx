"use client";
/**
 * Results of an evaluation, one row per spec in run order: perplexity (with its change against
 * FP32), mean NLL, KL vs FP32, top-1 agreement and tokens; while the run goes on, the specs still
 * to come follow as pending rows. Built on the generic DataTable; each metric cell carries its
 * raw value (data-metric, data-value) for tests and copying.
 */
import { useMemo } from "react";
import { getCoreRowModel, useReactTable, type ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/components/tables/data-table.tsx";
import type { SpecRow } from "@/lib/web/eval-client.ts";
import type { RunProgress } from "@/lib/web/worker-protocol.ts";
import { fmtInt, fmtNum, fmtPct } from "@/lib/viz/format.ts";
import { PHASE_LABEL } from "./eval-progress.tsx";

/** A finished spec with its perplexity change against FP32, or a spec still to run with its status. */
type ResultRow = { kind: "done"; row: SpecRow; dPpl: number | null } | { kind: "pending"; spec: string; status: string };

/** A metric cell: the formatted value, with the raw one in data-value. */
const metric = (name: string, value: number | null, text: string) => <span data-metric={name} data-value={value ?? ""}>{text}</span>;

const done = (r: ResultRow, f: (row: SpecRow, d: number | null) => React.ReactNode) => (r.kind === "done" ? f(r.row, r.dPpl) : null);

const columns: ColumnDef<ResultRow, unknown>[] = [
  {
    id: "spec", meta: { label: "spec", grow: true },
    cell: ({ row: { original: r } }) => (r.kind === "done"
      ? <span className="font-mono font-medium text-slate-900">{r.row.spec}</span>
      : <span className="font-mono text-slate-400">{r.spec}</span>),
  },
  {
    id: "ppl", meta: { label: "perplexity", numeric: true },
    cell: ({ row: { original } }) => done(original, (r, dPpl) => (
      <span data-metric="ppl" data-value={r.ppl ?? ""}>
        {fmtNum(r.ppl, 5)}
        {dPpl !== null && <span className={`ml-1.5 text-xs ${dPpl > 0.05 ? "text-red-600" : dPpl > 0.01 ? "text-amber-600" : "text-slate-400"}`}>{dPpl >= 0 ? "+" : "−"}{fmtPct(Math.abs(dPpl), 2)}</span>}
      </span>
    )),
  },
  { id: "mean_nll", meta: { label: "mean NLL", numeric: true }, cell: ({ row: { original } }) => done(original, (r) => metric("mean_nll", r.mean_nll, fmtNum(r.mean_nll, 6))) },
  {
    id: "kl", meta: { label: "KL vs FP32", numeric: true, title: "KL(p_FP32 ‖ p_spec) per token, in nats" },
    cell: ({ row: { original } }) => done(original, (r) => metric("kl", r.kl, r.canonical === "FP32" ? "0 (reference)" : fmtNum(r.kl, 4))),
  },
  {
    id: "top1_agreement", meta: { label: "top-1 agreement", numeric: true },
    cell: ({ row: { original } }) => done(original, (r) => metric("top1_agreement", r.top1_agreement, fmtPct(r.top1_agreement, 2))),
  },
  {
    id: "tokens", meta: { label: "tokens", numeric: true },
    cell: ({ row: { original: r } }) => (r.kind === "done"
      ? metric("tokens", r.row.tokens, fmtInt(r.row.tokens))
      : <span className="text-xs text-slate-400">{r.status}</span>),
  },
];

export interface EvalResultsTableProps {
  results: SpecRow[];
  running: boolean;
  /** the specs of the run, in run order */
  runOrder: string[];
  progress: RunProgress | null;
}

/** The finished specs, then (while running) the pending ones: the first "evaluating…"/"next", the rest "queued". */
function resultRows({ results, running, runOrder, progress }: EvalResultsTableProps): ResultRow[] {
  const fp32 = results.find((r) => r.canonical === "FP32");
  const rows: ResultRow[] = results.map((r) => ({
    kind: "done", row: r, dPpl: fp32 && fp32 !== r && r.ppl !== null && fp32.ppl ? r.ppl / fp32.ppl - 1 : null,
  }));
  if (!running) return rows;
  const pending = runOrder.filter((n) => !results.some((r) => r.spec === n));
  return rows.concat(pending.map((n, i) => ({
    kind: "pending", spec: n,
    status: i === 0 && progress && progress.spec && runOrder[progress.specIndex] === n ? `${PHASE_LABEL[progress.phase]}…` : i === 0 ? "next" : "queued",
  })));
}

/** The results table with its note on units; nothing before the first result or the run's spec list. */
export function EvalResultsTable(props: EvalResultsTableProps) {
  const { results, running, runOrder, progress } = props;
  const data = useMemo(() => resultRows({ results, running, runOrder, progress }), [results, running, runOrder, progress]);
  const table = useReactTable<ResultRow>({
    data, columns, getCoreRowModel: getCoreRowModel(), enableSorting: false,
    getRowId: (r) => (r.kind === "done" ? r.row.spec : `pending-${r.spec}`),
  });
  if (!(results.length > 0 || (running && runOrder.length > 0))) return null;
  return (
    <div className="mt-5">
      <DataTable table={table} testId="eval-results"
        rowAttributes={(r) => (r.kind === "done"
          ? { "data-testid": "eval-result-row", "data-spec": r.row.spec }
          : { "data-testid": "eval-pending-row", "data-spec": r.spec })} />
      <p className="mt-2 text-xs text-slate-500">
        Mean NLL in nats per predicted token; perplexity = exp(mean NLL). KL and top-1 agreement compare each spec&apos;s next-token
        distribution with FP32 at every position (same protocol as <span className="font-mono">quantlens eval</span>).
      </p>
    </div>
  );
}
