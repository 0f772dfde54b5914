"use client";
/**
 * The evaluation run the model on screen carries (the demo's, computed by `quantlens eval` and
 * shipped in data/demo): its text and results in the same table as the runs of this browser's store.
 */
import type { MeasuredRun } from "@/lib/analysis/types.ts";
import { fmtInt } from "@/lib/viz/format.ts";
import { Card } from "@/components/ui/card.tsx";
import { EvalResultsTable } from "@/components/eval/eval-results-table.tsx";

export function EmbeddedEvalRun({ modelName, run }: { modelName: string; run: MeasuredRun }) {
  const results = run.results.map((r, index) => ({ ...r, canonical: r.spec, index, elapsedMs: 0 }));
  return (
    <Card title="Evaluation shipped with the demo">
      <div data-testid="embedded-eval-run">
        <p className="mb-3 text-sm text-slate-700">
          <span className="font-mono">{modelName}</span> · {run.results.length} specs · {fmtInt(run.text.documents)} docs · {fmtInt(run.text.tokens)} tokens of{" "}
          <span className="font-mono">{run.text.file}</span>
          <span className="block text-xs text-slate-500">{run.generatedBy}</span>
        </p>
        <EvalResultsTable results={results} running={false} runOrder={run.results.map((r) => r.spec)} progress={null} />
      </div>
    </Card>
  );
}
