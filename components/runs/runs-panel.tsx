"use client";
/**
 * Earlier analyses and evaluations kept in this browser's store (OPFS): reopen one, download it as
 * a result bundle, or delete it; pick two (of either kind) to compare them side by side (the
 * Compare view above the lists; `cmp=a,b` in the link).
 */
import { useState } from "react";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import type { EvalRuns } from "@/components/dashboard/use-run-store.ts";
import type { RunListRow } from "@/lib/web/session-store.ts";
import type { Store } from "@/lib/store/store.ts";
import { ComparePanel } from "@/components/compare/compare-panel.tsx";
import { useReportLink } from "@/components/report/use-report-link.ts";
import { EvalRunsList } from "./eval-runs.tsx";
import { EmbeddedEvalRun } from "./embedded-eval-run.tsx";
import type { MeasuredRun } from "@/lib/analysis/types.ts";
import { PickBox, ComparePicker } from "./compare-picker.tsx";

export interface RunsPanelProps {
  runs: RunListRow[];
  /** "loading" until the store is open; "memory" when it could not be persisted */
  storeState: "loading" | "persistent" | "memory" | "failed";
  currentId: string;
  onReopen: (runId: string) => void;
  onDownload: (runId: string) => void;
  /** the evaluation runs (listed below the analyses) and deleting a run */
  evals: EvalRuns;
  /** the evaluation run the model on screen carries (the demo's), shown after the store's */
  embedded?: { modelName: string; run: MeasuredRun };
  /** the store the Compare view reads */
  getStore: () => Promise<Store | null>;
}

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" }) : "–");

export function RunsPanel({ runs, storeState, currentId, onReopen, onDownload, evals, getStore, embedded }: RunsPanelProps) {
  const [link, setLink] = useReportLink("runs");
  const [picked, setPicked] = useState<string[]>([]);
  const pick = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id].slice(-2)));
  const compare = () => { setLink({ compare: [picked[0]!, picked[1]!] }); setPicked([]); };
  return (
    <div className="space-y-5">
      {link.compare && <ComparePanel pair={link.compare} link={link} getStore={getStore} onClose={() => setLink({ compare: null })} />}
      {runs.length + evals.runs.length >= 2 && <ComparePicker picked={picked} onCompare={compare} onClear={() => setPicked([])} />}
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
                <th className="w-8 py-2 pr-2"><span className="sr-only">compare</span></th><th className="py-2 pr-4">model</th><th className="pr-4">format</th><th className="pr-4">started</th>
                <th className="pr-4">status</th><th className="pr-4 text-right">tensors</th><th />
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.run_id} data-testid="run-row" className={`border-b border-slate-100 ${r.source === currentId ? "bg-amber-50" : ""}`}>
                  <td className="pr-2"><PickBox id={r.run_id} picked={picked} onPick={pick} disabled={r.tensors === 0} label={r.source ?? r.name ?? r.run_id} /></td>
                  <td className="py-1.5 pr-4 font-mono text-xs">{r.source ?? r.name ?? r.run_id}</td>
                  <td className="pr-4 text-slate-600">{r.format ?? "–"}</td>
                  <td className="pr-4 tabular-nums text-slate-600">{when(r.started_at)}</td>
                  <td className={`pr-4 ${r.status === "interrupted" ? "text-amber-700" : ""}`} data-testid="run-status">{r.status}</td>
                  <td className="pr-4 text-right tabular-nums">{r.tensors}{r.n_tensors !== null ? ` / ${r.n_tensors}` : ""}</td>
                  <td className="space-x-2 whitespace-nowrap text-right">
                    <Button onClick={() => onReopen(r.run_id)} disabled={r.tensors === 0} data-testid="run-reopen">Reopen</Button>
                    <Button onClick={() => onDownload(r.run_id)} disabled={r.tensors === 0} data-testid="run-bundle"
                      title="Download this run as a result bundle (Parquet tables) to share">Bundle</Button>
                    <Button variant="ghost" onClick={() => void evals.remove(r.run_id)} data-testid="run-delete" title="Delete this run from this browser's store">Delete</Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <EvalRunsList evals={evals} onDownload={onDownload} picked={picked} onPick={pick} />
      {embedded && <EmbeddedEvalRun modelName={embedded.modelName} run={embedded.run} />}
    </div>
  );
}
