/**
 * The dashboard's store (duckdb-wasm, OPFS when the browser allows it), opened once on first use
 * and loaded on demand, and the list of runs it holds.
 */
import { useCallback, useRef, useState } from "react";
import type { DashboardStore, RunListRow } from "@/lib/web/session-store.ts";

/** The store module, imported on demand (duckdb-wasm stays out of the first paint). */
export const loadStore = () => import("@/lib/web/session-store.ts");

/** How results are kept in this browser: OPFS (persistent), in memory, or not at all. */
export type StoreState = "loading" | "persistent" | "memory" | "failed";

/** The store, opened on the first `getStore()`, its state, and its runs (re-read by `refreshRuns`). */
export function useRunStore() {
  const [runs, setRuns] = useState<RunListRow[]>([]);
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
    setRuns(await m.listRuns(s.store));
  }, [getStore]);

  return { runs, storeState, getStore, refreshRuns };
}
