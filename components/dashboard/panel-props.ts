/** Props every dashboard panel takes: the analysis on screen and the URL-backed view state. */
import type { ModelAnalysis, ViewState } from "@/lib/analysis/types.ts";
import type { Store } from "@/lib/store/store.ts";

export interface PanelProps {
  analysis: ModelAnalysis;
  view: ViewState;
  setView: (patch: Partial<ViewState>) => void;
  /** the dashboard's store (duckdb-wasm), opened on first call; absent in harnesses without one */
  getStore?: () => Promise<Store | null>;
}
