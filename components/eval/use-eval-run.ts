/**
 * One evaluation run of the EvalRunner at a time: starts it in the worker (startEval), follows
 * its progress and rows, and ends with an error or a notice. A new model clears the results of
 * the old one and cancels its run.
 */
import { useEffect, useRef, useState } from "react";
import { startEval, type EvalHandle, type EvalRunOptions, type SpecRow } from "@/lib/web/eval-client.ts";
import { orderSpecs, type RunProgress } from "@/lib/web/worker-protocol.ts";
import type { ModelSpec } from "@/lib/formats/open.ts";

/** What the tokenizer made of the text at the start of the run. */
export type Prepared = { documents: number; tokens: number; tokenizer: string };

/** What a run needs from the form. */
export type EvalRequest = Pick<EvalRunOptions, "model" | "endpoint" | "tokenizer" | "text" | "calibText" | "specs" | "modelLabel" | "store">;

/** The cancel notice: how many specs finished and whether they are kept. */
function cancelledNotice(done: number, recorded: boolean): string {
  return `Cancelled. ${done === 0 ? "No spec had finished." : `The ${done === 1 ? "spec" : `${done} specs`} finished so far ${done === 1 ? "is" : "are"} kept${recorded ? " in this browser's store" : ""}.`}`;
}

/** State of the run on screen and `start`/`cancel`; `onRecorded` is called when a run was recorded in the store. */
export function useEvalRun(model: ModelSpec | null, onRecorded?: () => void) {
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<RunProgress | null>(null);
  const [prepared, setPrepared] = useState<Prepared | null>(null);
  const [results, setResults] = useState<SpecRow[]>([]);
  /** the specs of the run on screen, in run order */
  const [runOrder, setRunOrder] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  /** the store's writes of the last run: the panel is idle before they finish, and a reload before "saved" lists the run as interrupted */
  const [saved, setSaved] = useState<"saving" | "saved" | null>(null);
  const handle = useRef<EvalHandle | null>(null);

  // a new model: earlier results belong to the old one
  useEffect(() => {
    setResults([]); setRunOrder([]); setPrepared(null); setError(null); setNotice(null); setSaved(null);
    return () => handle.current?.cancel();
  }, [model]);

  const start = (req: EvalRequest) => {
    setError(null); setNotice(null); setResults([]); setProgress(null); setPrepared(null); setSaved(null);
    let h: EvalHandle;
    try {
      h = startEval({
        ...req,
        onPrepared: setPrepared,
        onProgress: setProgress,
        onSpec: (row) => setResults((r) => [...r, row]),
        onStoreError: (m) => setNotice(m),
      });
    } catch (e) {
      setError((e as Error).message);
      return;
    }
    handle.current = h;
    setRunOrder(orderSpecs(req.specs).map((s) => s.name));
    setRunning(true);
    // idle on the worker's last message; the store's writes finish on their own (h.recorded)
    void h.finished.then((o) => {
      if (handle.current === h) handle.current = null;
      setRunning(false); setProgress(null);
      if (o.status === "failed") setError(o.error ?? "The evaluation failed.");
      if (o.status === "cancelled") setNotice(cancelledNotice(o.results.length, false));
      if (req.store) setSaved("saving");
      void h.recorded.then((runId) => {
        setSaved(runId ? "saved" : null);
        if (!runId) return;
        if (o.status === "cancelled") setNotice((n) => (n === cancelledNotice(o.results.length, false) ? cancelledNotice(o.results.length, true) : n));
        onRecorded?.();
      });
    });
  };

  return {
    running, progress, prepared, results, runOrder, error, notice, saved, start,
    cancel: () => handle.current?.cancel(),
    /** the text changed: its token count is no longer known */
    clearPrepared: () => setPrepared(null),
  };
}
