/** Which component draws each tab: the panels of components/overview, tables, heatmap and whatif; Runs and Report read the store. */
import type { ComponentType } from "react";
import { HeatmapsPanel } from "@/components/heatmap/heatmaps-panel.tsx";
import { OverviewPanel } from "@/components/overview/overview-panel.tsx";
import { TensorPanel } from "@/components/tables/tensor-panel.tsx";
import { WhatIfPanel } from "@/components/whatif/whatif-panel.tsx";
import { EvidencePanel } from "@/components/evidence/evidence-panel.tsx";
import { RecommendPanel } from "@/components/recommend/recommend-panel.tsx";
import { SummaryPanel } from "@/components/summary/summary-panel.tsx";
import type { Tab } from "@/lib/analysis/types.ts";
import type { PanelProps } from "@/components/dashboard/panel-props.ts";

export const PANELS: Record<Exclude<Tab, "runs" | "report">, ComponentType<PanelProps>> = {
  summary: SummaryPanel,
  overview: OverviewPanel,
  tensors: TensorPanel,
  heatmaps: HeatmapsPanel,
  whatif: WhatIfPanel,
  evidence: EvidencePanel,
  recommend: RecommendPanel,
};

export const TAB_LABELS: Record<Tab, string> = {
  summary: "Summary", overview: "Overview", tensors: "Tensors", heatmaps: "Heatmaps", whatif: "What-if", runs: "Runs", evidence: "Evidence", recommend: "Recommend", report: "Report",
};
