"use client";
/** Earlier analyses kept in this browser's store (OPFS): reopen one, or download it as a result bundle. */
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import type { RunListRow } from "@/lib/web/session-store.ts";

export interface RunsPanelProps {
  runs: RunListRow[];
  /** "loading" until the store is open; "memory" when it could not be persisted */
  storeState: "loading" | "persistent" | "memory" | "failed";
  currentId: string;
  onReopen: (runId: string) => void;
  onDownload: (runId: string) => void;
}

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" }) : "–");

export function RunsPanel({ runs, storeState, currentId, onReopen, onDownload }: RunsPanelProps) {
  return (
    <Card title="Runs in this browser">
      <p className="mb-3 text-xs text-slate-500" data-testid="store-state">
        {storeState === "loading" && "Opening the store…"}
        {storeState === "persistent" && "Kept in this browser's private storage (OPFS); they survive a reload."}
        {storeState === "memory" && "This browser's private storage could not be opened (another tab may hold it): runs last until the page closes."}
        {storeState === "failed" && "The store could not be opened; runs are not recorded."}
      </p>
      {runs.length === 0 ? (
        <p className="text-sm text-slate-600">No analyses yet. Open a model above: its statistics are recorded here.</p>
      ) : (
        <table className="w-full text-sm" data-testid="runs-table">
          <thead>
            <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
              <th className="py-2 pr-4">model</th><th className="pr-4">format</th><th className="pr-4">started</th>
              <th className="pr-4">status</th><th className="pr-4 text-right">tensors</th><th />
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.run_id} data-testid="run-row" className={`border-b border-slate-100 ${r.source === currentId ? "bg-amber-50" : ""}`}>
                <td className="py-1.5 pr-4 font-mono text-xs">{r.source ?? r.name ?? r.run_id}</td>
                <td className="pr-4 text-slate-600">{r.format ?? "–"}</td>
                <td className="pr-4 tabular-nums text-slate-600">{when(r.started_at)}</td>
                <td className="pr-4" data-testid="run-status">{r.status}</td>
                <td className="pr-4 text-right tabular-nums">{r.tensors}{r.n_tensors !== null ? ` / ${r.n_tensors}` : ""}</td>
                <td className="space-x-2 text-right">
                  <Button onClick={() => onReopen(r.run_id)} disabled={r.tensors === 0} data-testid="run-reopen">Reopen</Button>
                  <Button variant="ghost" onClick={() => onDownload(r.run_id)} disabled={r.tensors === 0} data-testid="run-bundle"
                    title="Download this run as a result bundle (Parquet tables) to share">Bundle</Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
