/**
 * The dashboard's store with the evidence loaded (lib/web/evidence.ts), once per page: both the
 * explorer and the recommendation view wait on the same load. The loader module is imported on
 * demand, so the evidence stays out of the first paint.
 */
import { useEffect, useState } from "react";
import type { Store } from "@/lib/store/store.ts";
import type { EvidenceLoad } from "@/lib/web/evidence.ts";

export type EvidenceStore =
  | { state: "loading" }
  | { state: "ready"; store: Store; load: EvidenceLoad; ms: number }
  | { state: "failed"; error: string };

let loading: Promise<EvidenceStore> | null = null;

function loadOnce(getStore: () => Promise<Store | null>): Promise<EvidenceStore> {
  loading ??= (async (): Promise<EvidenceStore> => {
    const t0 = performance.now();
    try {
      const s = await getStore();
      if (!s) return { state: "failed", error: "This browser's store could not be opened (duckdb-wasm)." };
      const load = await (await import("@/lib/web/evidence.ts")).ensureEvidence(s);
      const ms = performance.now() - t0;
      return { state: "ready", store: s, load, ms };
    } catch (e) {
      loading = null; // let a later visit retry
      return { state: "failed", error: e instanceof Error ? e.message : String(e) };
    }
  })();
  return loading;
}

/** The evidence store's state; `getStore` is the dashboard's (PanelProps). */
export function useEvidenceStore(getStore: (() => Promise<Store | null>) | undefined): EvidenceStore {
  const [s, setS] = useState<EvidenceStore>({ state: "loading" });
  useEffect(() => {
    if (!getStore) { setS({ state: "failed", error: "No store is available on this page." }); return; }
    let live = true;
    void loadOnce(getStore).then((r) => { if (live) setS(r); });
    return () => { live = false; };
  }, [getStore]);
  return s;
}
