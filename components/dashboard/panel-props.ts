/** Props every dashboard panel takes: the analysis on screen and the URL-backed view state. */
import type { ModelAnalysis, ViewState } from "@/lib/analysis/types.ts";

export interface PanelProps {
  analysis: ModelAnalysis;
  view: ViewState;
  setView: (patch: Partial<ViewState>) => void;
}
