"use client";
/**
 * Summary tab, the first page: the answer for the model on screen in one line (lib/recommend over
 * the published evidence and the model's measured runs), the layer x module outlier heatmap and
 * the measured damage per spec, each with a link to the tab that tells more.
 */
import { useMemo, type ReactNode } from "react";
import { tensorTableRows } from "@/lib/analysis/analysis.ts";
import type { Tab } from "@/lib/analysis/types.ts";
import { layerModuleGrid } from "@/lib/viz/heatmap.ts";
import { isQuantizedLinear } from "@/lib/quant/whatif.ts";
import { fmtInt, fmtNum } from "@/lib/viz/format.ts";
import { statOption, statValue } from "@/lib/viz/stats.ts";
import { Card } from "@/components/ui/card.tsx";
import { Skeleton } from "@/components/ui/skeleton.tsx";
import { LayerHeatmap } from "@/components/heatmap/layer-heatmap.tsx";
import type { PanelProps } from "@/components/dashboard/panel-props.ts";
import { AnswerCard } from "./answer-card.tsx";
import { DamageChart } from "./damage-chart.tsx";
import { useSummary } from "./use-summary.ts";

/** The statistic of the outlier map: kurtosis, the heaviest tails (normal = 3). */
const OUTLIER_STAT = "kurtosis";

function TabLink({ tab, onGo, children }: { tab: Tab; onGo: (t: Tab) => void; children: ReactNode }) {
  return (
    <button type="button" onClick={() => onGo(tab)} data-testid={`summary-link-${tab}`}
      className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100">
      {children} <span aria-hidden>→</span>
    </button>
  );
}

export function SummaryPanel({ analysis, setView, getStore }: PanelProps) {
  const { measured, answer } = useSummary(analysis, getStore);
  const go = (tab: Tab) => setView({ tab });
  // the weights quantization touches (every linear but lm_head): norms and embeddings stay in float
  const rows = useMemo(() => tensorTableRows(analysis).filter(isQuantizedLinear), [analysis]);
  const stat = statOption(OUTLIER_STAT);
  const grid = useMemo(() => layerModuleGrid(rows, (r) => statValue(r, stat.id), "linear", stat.lowerIsWorse), [rows, stat]);
  const worst = useMemo(() => [...grid.cells].filter((c) => c.value !== null).sort((a, b) => b.value! - a.value!)[0], [grid]);
  const bucketOf = (spec: string) => (answer.state === "ready" ? answer.rec.specs.find((s) => s.spec === spec)?.bucket ?? null : null);
  const run = analysis.measured;
  const points = (measured ?? []).map((m) => ({ spec: m.spec, kl: m.kl }));

  return (
    <div className="space-y-5" data-testid="summary">
      <AnswerCard modelName={analysis.model.name} answer={answer} actions={<>
        <TabLink tab="recommend" onGo={go}>Recommendation: rules and evidence</TabLink>
        <TabLink tab="report" onGo={go}>Report</TabLink>
      </>} />
      <div className="grid gap-5 lg:grid-cols-2">
        <Card title="Where the outliers are">
          <p className="-mt-2 mb-3 text-sm text-slate-600">
            Kurtosis of every quantized linear weight by layer and module (a normal distribution gives 3; heavier tails quantize worse)
            {worst ? <>: the heaviest is <span className="font-mono text-slate-900">{worst.name}</span> at {fmtNum(worst.value, 4)}.</> : "."}
          </p>
          <div data-testid="summary-heatmap">
            <LayerHeatmap grid={grid} label={stat.label} onSelect={(tensor) => setView({ tab: "heatmaps", tensor })} />
          </div>
          <div className="mt-4 flex flex-wrap gap-2">
            <TabLink tab="heatmaps" onGo={go}>Heatmaps: channels and histograms</TabLink>
          </div>
        </Card>
        <Card title="Measured damage">
          {measured === null ? <Skeleton className="h-64" /> : points.some((p) => p.spec.toUpperCase() !== "FP32") ? (
            <>
              <p className="-mt-2 mb-3 text-sm text-slate-600" data-testid="summary-damage-note">
                KL divergence of each spec&apos;s next-token distribution from FP32
                {run ? <> on {fmtInt(run.text.tokens)} tokens of <span className="font-mono">{run.text.file}</span> ({run.text.documents} documents, computed by <span className="font-mono">quantlens eval</span>)</> : " on your evaluation runs in this browser"};
                lower is safer.
              </p>
              <DamageChart points={points} bucketOf={bucketOf} />
            </>
          ) : (
            <div className="space-y-2 text-sm text-slate-600" data-testid="summary-no-damage">
              <p className="font-medium text-slate-900">No measured damage for {analysis.model.name} yet.</p>
              <p>
                Evaluate it: on the What-if tab, <span className="font-medium">Evaluate on your text</span> runs FP32 and the specs you pick on a
                text you paste, in this browser, and records perplexity, KL divergence and top-1 agreement per spec. The chart appears here.
              </p>
            </div>
          )}
          <div className="mt-4 flex flex-wrap gap-2">
            <TabLink tab="whatif" onGo={go}>What-if: evaluate on your text</TabLink>
          </div>
        </Card>
      </div>
    </div>
  );
}
