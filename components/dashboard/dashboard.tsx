"use client";
/**
 * The dashboard shell: the open area, the tabs and the panel of the active tab. What is on
 * screen and how it got there (opening, the store, the URL) is useDashboardSession's.
 */
import type { ModelAnalysis, Tab, ViewState } from "@/lib/analysis/types.ts";
import { Button } from "@/components/ui/button.tsx";
import { OpenPanel } from "@/components/open/open-panel.tsx";
import { RunsPanel } from "@/components/runs/runs-panel.tsx";
import { ReportPanel } from "@/components/report/report-panel.tsx";
import { EvalRunner } from "@/components/eval/eval-runner.tsx";
import { useDemoEvalModel } from "@/components/eval/demo-model.ts";
import { PANELS, TAB_LABELS } from "./panels.tsx";
import { PanelSkeleton, PreviousModel } from "./loading-state.tsx";
import { useDashboardSession } from "./use-dashboard-session.ts";

const TABS: Tab[] = ["summary", "overview", "tensors", "heatmaps", "whatif", "evidence", "recommend", "report", "runs"];
/** the tabs that show the model on screen (loading states apply to them only) */
const MODEL_TABS = new Set<Tab>(["summary", "overview", "tensors", "heatmaps", "whatif"]);

export function Dashboard({ demo, initialView }: { demo: ModelAnalysis; initialView: ViewState }) {
  const {
    analysis, view, setView, progress, busy, error, notice, runs, evals, storeState, copied, openedSpec, hub, loading,
    onFiles, onTyped, showDemo, cancel, onHubEndpoint, copyLink, reopen, download, getRunStore, refreshRuns,
  } = useDashboardSession(demo, initialView);
  // the demo's own model file (data/demo), so "Evaluate" works with no file picked
  const demoModel = useDemoEvalModel(analysis.id === demo.id && openedSpec === null);

  const Panel = view.tab === "runs" || view.tab === "report" ? null : PANELS[view.tab];
  return (
    <main className="mx-auto max-w-6xl space-y-5 px-6 py-8">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-3xl font-bold tracking-tight">quantlens</h1>
          <p className="mt-1 text-slate-600">How far can I quantize this model, for my task, before it breaks, and why?</p>
        </div>
        <div className="flex items-center gap-2 text-sm">
          {loading && analysis.id === demo.id ? (
            <><span className="text-slate-500">opening</span><span className="max-w-72 truncate font-mono" data-testid="loading-model" title={loading}>{loading}</span></>
          ) : (
            <><span className="text-slate-500">showing</span><span className="max-w-72 truncate font-mono" data-testid="current-model" title={analysis.id}>{analysis.id === "demo" ? `${analysis.model.name} (demo)` : analysis.id}</span></>
          )}
          <Button onClick={copyLink} data-testid="copy-link">Copy link</Button>
        </div>
      </header>
      {copied && <p className="break-all text-right text-xs text-slate-500" data-testid="copy-status">{copied}</p>}
      <OpenPanel busy={busy} progress={progress} error={error} notice={notice} hubEndpoint={hub}
        onFiles={onFiles} onTyped={onTyped} onDemo={showDemo}
        onCancel={cancel} onHubEndpoint={onHubEndpoint} />
      <nav role="tablist" aria-label="Dashboard views" className="flex gap-1 border-b border-slate-200">
        {TABS.map((t) => (
          <button key={t} role="tab" type="button" aria-selected={view.tab === t} data-testid={`tab-${t}`}
            onClick={() => setView({ tab: t })}
            className={`-mb-px border-b-2 px-4 py-2 text-sm font-medium ${view.tab === t ? "border-amber-500 text-slate-900" : "border-transparent text-slate-500 hover:text-slate-800"}`}>
            {TAB_LABELS[t]}
          </button>
        ))}
      </nav>
      <div role="tabpanel" aria-label={TAB_LABELS[view.tab]}>
        {/* never the demo's numbers while another model opens; another model's panels marked as the previous one */}
        {Panel && loading && MODEL_TABS.has(view.tab) && analysis.id === demo.id ? <PanelSkeleton loading={loading} />
          : Panel && loading && MODEL_TABS.has(view.tab) && loading !== analysis.id
            ? <PreviousModel showing={analysis.id} loading={loading}><Panel analysis={analysis} view={view} setView={setView} getStore={getRunStore} /></PreviousModel>
          : Panel ? <Panel analysis={analysis} view={view} setView={setView} getStore={getRunStore} /> : view.tab === "report" ? <ReportPanel analysis={analysis} getStore={getRunStore} /> : (
          <RunsPanel runs={runs} storeState={storeState} currentId={analysis.id} onReopen={(id) => void reopen(id)} onDownload={(id) => void download(id)} evals={evals} getStore={getRunStore}
            embedded={analysis.measured && { modelName: analysis.model.name, run: analysis.measured }} />
        )}
      </div>
      {/* kept mounted on other tabs, so an evaluation goes on while another tab is shown */}
      <div hidden={view.tab !== "whatif"}>
        <EvalRunner model={openedSpec ?? demoModel?.model ?? null} modelName={analysis.model.name} format={demoModel?.format ?? analysis.model.format}
          endpoint={hub || undefined} modelLabel={analysis.id} getStore={getRunStore} onRecorded={() => void refreshRuns()} sampleText={demoModel?.sample} />
      </div>
      <footer className="pb-6 text-xs text-slate-500">
        Statistics follow quantlens&apos; definitions: population std, Pearson kurtosis (normal = 3), outliers beyond 6σ.
        Models opened here are read in this browser; nothing is uploaded.
      </footer>
    </main>
  );
}
