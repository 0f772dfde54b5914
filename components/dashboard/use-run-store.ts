/**
 * The dashboard's store (duckdb-wasm, OPFS when the browser allows it), opened once on first use
 * and loaded on demand, and the runs it holds: statistics runs, evaluation runs (the one opened
 * into the results table), deleting a run.
 */
import { useCallback, useRef, useState } from "react";
import type { DashboardStore, EvalRunListRow, EvalRunView, RunListRow } from "@/lib/web/session-store.ts";

/** The store module, imported on demand (duckdb-wasm stays out of the first paint). */
export const loadStore = () => import("@/lib/web/session-store.ts");

/** How results are kept in this browser: OPFS (persistent), in memory, or not at all. */
export type StoreState = "loading" | "persistent" | "memory" | "failed";

/** The evaluation runs of the Runs tab and what can be done with them. */
export interface EvalRuns {
  runs: EvalRunListRow[];
  /** the run shown in the results table, null when none */
  opened: EvalRunView | null;
  open(runId: string): Promise<void>;
  show(run: EvalRunView | null): void;
  remove(runId: string): Promise<void>;
}

/** The store, opened on the first `getStore()`, its state, and its runs (re-read by `refreshRuns`). */
export function useRunStore() {
  const [runs, setRuns] = useState<RunListRow[]>([]);
  const [evalRuns, setEvalRuns] = useState<EvalRunListRow[]>([]);
  const [openedEval, setOpenedEval] = useState<EvalRunView | null>(null);
  const [storeState, setStoreState] = useState<StoreState>("loading");
  const storeRef = useRef<Promise<DashboardStore | null> | null>(null);

  /** The store, opened once on first use; null when it cannot be opened. */
  const getStore = useCallback((): Promise<DashboardStore | null> => {
    storeRef.current ??= loadStore()
      .then((m) => m.openDashboardStore())
      .then((s) => { setStoreState(s.persistent ? "persistent" : "memory"); return s; })
      .catch(() => { setStoreState("failed"); return null; });
    return storeRef.current;
  }, []);

  const refreshRuns = useCallback(async () => {
    const s = await getStore();
    if (!s) return;
    const m = await loadStore();
    const all = await m.listAllRuns(s);
    setRuns(all.stats);
    setEvalRuns(all.evals);
  }, [getStore]);

  const evals: EvalRuns = {
    runs: evalRuns, opened: openedEval, show: setOpenedEval,
    open: async (runId) => {
      const s = await getStore();
      if (s) setOpenedEval(await (await loadStore()).reopenEvalRun(s, runId));
    },
    remove: async (runId) => {
      const s = await getStore();
      if (!s) return;
      await (await loadStore()).removeRun(s, runId);
      setOpenedEval((o) => (o?.runId === runId ? null : o));
      await refreshRuns();
    },
  };

  return { runs, storeState, getStore, refreshRuns, evals };
}
