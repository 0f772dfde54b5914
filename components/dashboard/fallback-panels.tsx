"use client";
/**
 * Minimal stand-ins for the panels another engineer is writing (components/overview, tables,
 * whatif): they keep the dashboard usable and testable until those files land, and
 * read the same PanelProps. panels.tsx switches to the real panels one by one.
 */
import { LayerHeatmap } from "@/components/heatmap/layer-heatmap.tsx";
import { Card, Stat } from "@/components/ui/card.tsx";
import { formatBytes } from "@/components/ui/format.ts";
import type { PanelProps } from "@/lib/dashboard/types.ts";
import { layerModuleGrid } from "@/lib/viz/heatmap.ts";

/** Model facts and the two layer x module maps (the former home page). */
export function FallbackOverview({ analysis }: PanelProps) {
  const { model, tensors } = analysis;
  return (
    <div className="space-y-6">
      <Card title="Model">
        <div className="grid grid-cols-2 gap-4 sm:grid-cols-5">
          <Stat label="model" value={<span data-testid="model-name" className="break-all">{model.name}</span>} />
          <Stat label="format" value={model.format} />
          <Stat label="parameters" value={model.params.toLocaleString("en-US")} />
          <Stat label="tensors" value={model.tensorCount} />
          <Stat label="storage" value={`${model.byDtype.map((d) => d.dtype).join(", ")} · ${formatBytes(model.bytes)}`} />
        </div>
        <p className="mt-4 text-xs text-slate-500">{analysis.generatedBy}</p>
      </Card>
      <div className="grid gap-6 md:grid-cols-2">
        <Card title="Kurtosis by layer and module"><LayerHeatmap grid={layerModuleGrid(tensors, (r) => r.kurtosis)} label="kurtosis" /></Card>
        <Card title="AbsMax / Std by layer and module"><LayerHeatmap grid={layerModuleGrid(tensors, (r) => r.absmax_over_std)} label="absmax/std" /></Card>
      </div>
    </div>
  );
}

/** Placeholder until the what-if panel lands. */
export function FallbackWhatIf({ view }: PanelProps) {
  return (
    <Card title="What-if">
      <p className="text-sm text-slate-600">
        Quantization what-if (W{view.whatif.bits}, group {view.whatif.groupSize}, {view.whatif.method}) is being built.
      </p>
    </Card>
  );
}
