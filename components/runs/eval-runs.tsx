"use client";
/**
 * The evaluation runs kept in this browser's store (browser runs, CLI runs imported by bundle):
 * model, specs, the text's summary (documents, tokens, sha256), status and results; one opens into
 * the results table below the list, downloads as a bundle, or is deleted. Names render as text.
 */
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { EvalResultsTable } from "@/components/eval/eval-results-table.tsx";
import type { EvalRuns } from "@/components/dashboard/use-run-store.ts";
import { fmtInt } from "@/lib/viz/format.ts";
import { PickBox } from "./compare-picker.tsx";

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" }) : "–");
const textSummary = (documents: number | null, tokens: number | null) =>
  `${documents === null ? "–" : `${fmtInt(documents)} doc${documents === 1 ? "" : "s"}`} · ${tokens === null ? "–" : `${fmtInt(tokens)} tokens`}`;

export function EvalRunsList({ evals, onDownload, picked = [], onPick }: {
  evals: EvalRuns; onDownload: (runId: string) => void;
  /** the runs picked for the Compare view, and picking one */
  picked?: string[]; onPick?: (runId: string) => void;
}) {
  const o = evals.opened;
  return (
    <Card title="Evaluation runs">
      {evals.runs.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="eval-runs-empty">No evaluations yet. Open a model and run one from the What-if tab, or open an evaluation bundle.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="eval-runs-table">
            <thead>
              <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
                {onPick && <th className="w-8 py-2 pr-2"><span className="sr-only">compare</span></th>}
                <th className="py-2 pr-4">model</th><th className="pr-4">specs</th><th className="pr-4">text</th><th className="pr-4">started</th>
                <th className="pr-4">status</th><th className="pr-4 text-right">results</th><th />
              </tr>
            </thead>
            <tbody>
              {evals.runs.map((r) => (
                <tr key={r.run_id} data-testid="eval-run-row" data-run-id={r.run_id} className={`border-b border-slate-100 ${o?.runId === r.run_id ? "bg-amber-50" : ""}`}>
                  {onPick && <td className="pr-2"><PickBox id={r.run_id} picked={picked} onPick={onPick} disabled={r.results === 0} label={r.model ?? r.run_id} /></td>}
                  <td className="max-w-56 truncate py-1.5 pr-4 font-mono text-xs" title={r.model ?? ""}>{r.model ?? "–"}</td>
                  <td className="pr-4 font-mono text-xs">{r.specs.join(", ")}</td>
                  <td className="pr-4 text-xs text-slate-600" data-testid="eval-run-text">
                    {textSummary(r.documents, r.tokens)}
                    {r.text_sha256 && <span className="ml-1 font-mono text-slate-500" title={`sha256 of the text: ${r.text_sha256}`}>· sha256 {r.text_sha256.slice(0, 12)}…</span>}
                  </td>
                  <td className="pr-4 tabular-nums text-slate-600">{when(r.started_at)}</td>
                  <td className={`pr-4 ${r.status === "interrupted" ? "text-amber-700" : ""}`} data-testid="eval-run-status">{r.status}</td>
                  <td className="pr-4 text-right tabular-nums" data-testid="eval-run-results">
                    {r.results} / {r.specs.length}
                    {r.results < r.specs.length && r.windows > 0 && (
                      <span className="block text-xs text-slate-500" data-testid="eval-run-windows" title="Windows scored before the run stopped, kept in the store (run_windows): every unfinished spec's metrics over those tokens">
                        {fmtInt(r.windows)} window{r.windows === 1 ? "" : "s"} kept
                      </span>
                    )}
                  </td>
                  <td className="space-x-2 whitespace-nowrap text-right">
                    <Button onClick={() => void evals.open(r.run_id)} disabled={r.results === 0} data-testid="eval-run-open">Open</Button>
                    <Button onClick={() => onDownload(r.run_id)} disabled={r.results === 0 && r.windows === 0} data-testid="eval-run-bundle" title="Download this run as a result bundle">Bundle</Button>
                    <Button variant="ghost" onClick={() => void evals.remove(r.run_id)} data-testid="eval-run-delete" title="Delete this run from this browser's store">Delete</Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {o && (
        <div className="mt-5 border-t border-slate-100 pt-4" data-testid="eval-run-opened">
          <p className="text-sm text-slate-700">
            <span className="font-mono">{o.model}</span> · {o.status} · {textSummary(o.documents, o.tokens)}
            {o.textSha256 && <span className="font-mono text-xs text-slate-500"> · sha256 {o.textSha256}</span>}
          </p>
          <EvalResultsTable results={o.results} running={false} runOrder={o.specs} progress={null} />
        </div>
      )}
    </Card>
  );
}
