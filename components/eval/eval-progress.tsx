"use client";
/** The progress of a running evaluation: a bar, the spec and phase, tokens scored and time left. */
import { fmtDuration } from "@/lib/viz/format.ts";
import { ProgressBar } from "@/components/ui/progress.tsx";
import type { RunProgress } from "@/lib/web/worker-protocol.ts";
import { fmtInt } from "@/lib/viz/format.ts";

/** What each phase of a spec is called on screen. */
export const PHASE_LABEL: Record<RunProgress["phase"], string> = {
  load: "loading weights", calibrate: "calibrating", quantize: "quantizing", evaluate: "evaluating",
};

/** Spec i/n, its phase, tokens so far (while evaluating), elapsed and remaining time. */
export function EvalProgress({ progress }: { progress: RunProgress }) {
  return (
    <div className="mt-3 space-y-1.5" data-testid="eval-progress">
      <ProgressBar value={progress.fraction} label="Evaluation progress" />
      <p className="flex flex-wrap gap-x-3 text-xs tabular-nums text-slate-600" data-testid="eval-progress-text">
        <span>spec {progress.specIndex + 1}/{progress.specs} <span className="font-mono font-medium text-slate-900">{progress.spec}</span></span>
        <span>{PHASE_LABEL[progress.phase]}</span>
        {progress.phase === "evaluate" && <span>{fmtInt(progress.tokens)} / {fmtInt(progress.totalTokens)} tokens</span>}
        <span>{fmtDuration(progress.elapsedMs)} elapsed</span>
        {progress.etaMs !== null && <span>about {fmtDuration(progress.etaMs)} left</span>}
      </p>
    </div>
  );
}
