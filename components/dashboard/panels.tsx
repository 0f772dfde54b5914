/**
 * Which component draws each tab. The real panels (components/overview, tables, heatmap,
 * whatif) replace the fallbacks here as they are committed; the Runs tab is the dashboard's own.
 */
import type { ComponentType } from "react";
import { HeatmapsPanel } from "@/components/heatmap/heatmaps-panel.tsx";
import { TensorPanel } from "@/components/tables/tensor-panel.tsx";
import type { PanelProps, Tab } from "@/lib/dashboard/types.ts";
import { FallbackOverview, FallbackWhatIf } from "./fallback-panels.tsx";

export const PANELS: Record<Exclude<Tab, "runs">, ComponentType<PanelProps>> = {
  overview: FallbackOverview,
  tensors: TensorPanel,
  heatmaps: HeatmapsPanel,
  whatif: FallbackWhatIf,
};

export const TAB_LABELS: Record<Tab, string> = {
  overview: "Overview", tensors: "Tensors", heatmaps: "Heatmaps", whatif: "What-if", runs: "Runs",
};
