"use client";
/** Heatmaps tab: a statistic by layer and module, per-channel absmax by layer, and the open tensor's detail. */
import { useMemo } from "react";
import { Card } from "@/components/ui/card.tsx";
import { tensorTableRows } from "@/lib/analysis/analysis.ts";
import { channelMatrix, CHANNEL_MODULES } from "@/lib/viz/channels.ts";
import { fmtDb, fmtNum, fmtPct } from "@/lib/viz/format.ts";
import { layerModuleGrid } from "@/lib/viz/heatmap.ts";
import { MODULE_LABEL } from "@/lib/viz/modules.ts";
import { HEAT_STATS, statOption, statValue } from "@/lib/viz/stats.ts";
import { moduleOf } from "@/lib/formats/names.ts";
import { ChannelHeatmap } from "./channel-heatmap.tsx";
import { LayerHeatmap } from "./layer-heatmap.tsx";
import { TensorDetail } from "./tensor-detail.tsx";
import type { PanelProps } from "@/components/dashboard/panel-props.ts";

const control = "h-8 rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-800 shadow-sm focus:border-slate-500 focus:outline-none focus:ring-2 focus:ring-slate-200";

/** Two-way switch (linear / log). */
function ScaleSwitch({ value, onChange }: { value: "linear" | "log"; onChange: (v: "linear" | "log") => void }) {
  return (
    <div role="radiogroup" aria-label="Colour scale" className="inline-flex h-8 overflow-hidden rounded-md border border-slate-300 text-sm shadow-sm">
      {(["linear", "log"] as const).map((s) => (
        <button key={s} type="button" role="radio" aria-checked={value === s} onClick={() => onChange(s)}
          className={`px-3 ${value === s ? "bg-slate-800 text-white" : "bg-white text-slate-700 hover:bg-slate-50"}`}>{s}</button>
      ))}
    </div>
  );
}

export function HeatmapsPanel({ analysis, view, setView }: PanelProps) {
  const rows = useMemo(() => tensorTableRows(analysis), [analysis]);
  const stat = statOption(view.stat);
  const grid = useMemo(() => layerModuleGrid(rows, (r) => statValue(r, stat.id), view.scale, stat.lowerIsWorse), [rows, stat, view.scale]);
  const kinds = useMemo(() => CHANNEL_MODULES.filter((k) => analysis.tensors.some((t) => moduleOf(t.name) === k && analysis.channels[t.name])), [analysis]);
  const channelModule = kinds.includes(view.channelModule as (typeof kinds)[number]) ? view.channelModule : kinds[kinds.length - 1] ?? view.channelModule;
  const matrix = useMemo(() => channelMatrix(analysis.tensors, analysis.channels, channelModule, view.scale), [analysis, channelModule, view.scale]);
  const format = stat.format === "pct" ? (v: number) => fmtPct(v) : stat.format === "db" ? (v: number) => fmtDb(v) : (v: number) => fmtNum(v, 5);
  const selected = view.tensor ? analysis.tensors.find((t) => t.name === view.tensor) ?? null : null;
  const open = (name: string) => setView({ tensor: name === view.tensor ? null : name });

  return (
    <div className="space-y-6">
      <Card title="Statistic by layer and module">
        <div className="mb-4 flex flex-wrap items-center gap-2">
          <select aria-label="Statistic" value={stat.id} onChange={(e) => setView({ stat: e.target.value })} className={control}>
            {HEAT_STATS.map((s) => <option key={s.id} value={s.id}>{s.label}</option>)}
          </select>
          <ScaleSwitch value={view.scale} onChange={(scale) => setView({ scale })} />
          <p className="text-xs text-slate-500">{stat.hint} Click a cell for the tensor’s detail.</p>
        </div>
        <LayerHeatmap grid={grid} label={stat.label} onSelect={open} selected={view.tensor} format={format} />
      </Card>

      <Card title="Per-channel absmax by layer">
        <div className="mb-4 flex flex-wrap items-center gap-2">
          <select aria-label="Module" value={channelModule} onChange={(e) => setView({ channelModule: e.target.value })} className={control} disabled={!kinds.length}>
            {kinds.map((k) => <option key={k} value={k}>{k} · {MODULE_LABEL[k]}</option>)}
          </select>
          <ScaleSwitch value={view.scale} onChange={(scale) => setView({ scale })} />
          <p className="text-xs text-slate-500">Largest |w| of each input channel of W[out, in]. A channel that is large in every layer draws a vertical line: per-channel outliers that group-wise quantization must absorb.</p>
        </div>
        {matrix ? <ChannelHeatmap matrix={matrix} onSelect={open} /> : (
          <p className="rounded-lg bg-slate-50 py-10 text-center text-sm text-slate-500">No per-channel statistics for this model.</p>
        )}
      </Card>

      {selected ? <TensorDetail analysis={analysis} tensor={selected} onClose={() => setView({ tensor: null })} /> : (
        <p className="rounded-xl border border-dashed border-slate-300 py-6 text-center text-sm text-slate-500">Click a cell or a channel row to see that tensor’s histogram and top channels.</p>
      )}
    </div>
  );
}
