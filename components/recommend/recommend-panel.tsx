"use client";
/**
 * Recommend tab: the CLI's `quantlens recommend` in the dashboard. Inputs come from the URL
 * (share link) and otherwise from the model on screen; the engine (lib/recommend) runs over the
 * dashboard's store with the evidence loaded, beside the user's own eval runs of this model.
 */
import { useEffect, useMemo, useState } from "react";
import { recommend } from "@/lib/recommend/engine.ts";
import type { Recommendation } from "@/lib/recommend/result.ts";
import { fetchEvidenceFamilies } from "@/lib/store/evidence-queries.ts";
import { measuredSpecsFor, modelDefaults, recommendInputOf } from "@/lib/web/evidence.ts";
import { Card } from "@/components/ui/card.tsx";
import { Skeleton } from "@/components/ui/skeleton.tsx";
import type { PanelProps } from "@/components/dashboard/panel-props.ts";
import { EvidenceLoadNote } from "@/components/evidence/evidence-panel.tsx";
import { useEvidenceStore } from "@/components/evidence/use-evidence-store.ts";
import { useRecommendUrl } from "@/components/evidence/use-evidence-url.ts";
import { DropScatterChart } from "./drop-scatter-chart.tsx";
import { MeasuredBesideEvidence } from "./measured-beside-evidence.tsx";
import { RecommendInputs } from "./recommend-inputs.tsx";
import { SpecLists } from "./spec-lists.tsx";

export function RecommendPanel({ analysis, getStore }: PanelProps) {
  const ev = useEvidenceStore(getStore);
  const [state, setState] = useRecommendUrl();
  const [families, setFamilies] = useState<string[]>([]);
  const [rec, setRec] = useState<Recommendation | null>(null);
  const [ms, setMs] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const store = ev.state === "ready" ? ev.store : null;
  const defaults = useMemo(() => modelDefaults(analysis), [analysis]);

  useEffect(() => { if (store) fetchEvidenceFamilies(store).then(setFamilies, () => undefined); }, [store]);
  useEffect(() => {
    if (!store || !state) return;
    let live = true;
    const t0 = performance.now();
    (async () => {
      const measured = await measuredSpecsFor(store, analysis);
      return recommend(store, recommendInputOf(analysis, state, measured));
    })().then((r) => { if (live) { setRec(r); setMs(performance.now() - t0); setError(null); } }, (e: Error) => { if (live) setError(e.message); });
    return () => { live = false; };
  }, [store, state, analysis]);

  if (ev.state === "failed") return <Card title="Recommendation"><p className="text-sm text-red-700" role="alert">{ev.error}</p></Card>;
  if (ev.state === "loading" || !state) {
    return <Card title="Recommendation"><p className="mb-3 text-sm text-slate-500">Loading the published results into this browser&apos;s store…</p><Skeleton className="h-64" /></Card>;
  }
  const allFamilies = [...new Set([...(defaults.family ? [defaults.family] : []), ...families])].sort();
  return (
    <div className="space-y-5" data-testid="recommend-panel">
      <Card title={`Which quantization for ${analysis.model.name}?`}>
        <RecommendInputs state={state} defaults={defaults} families={allFamilies} onChange={setState} />
        <div className="mt-3 space-y-1">
          <EvidenceLoadNote ev={ev} />
          {rec && <p className="text-xs text-slate-500" data-testid="recommend-inputs-used">
            For {Number(rec.inputs.params_b.toPrecision(3))}B parameters{rec.inputs.family ? `, ${rec.inputs.family}` : ""}, {rec.inputs.task ?? "any task"}, {rec.inputs.context} tokens of context
            {rec.inputs.memory_gb !== null ? `, ${rec.inputs.memory_gb} GB` : ""}, target {rec.inputs.target}; sizes {rec.inputs.shape}
            {ms !== null ? ` (answered in ${(ms / 1000).toFixed(1)} s)` : ""}.
          </p>}
        </div>
        {error && <p className="mt-2 text-sm text-red-700" role="alert">{error}</p>}
      </Card>
      {!rec || !store ? <Skeleton className="h-96" /> : (
        <>
          <SpecLists rec={rec} store={store} />
          <Card title="Footprint against expected drop">
            <DropScatterChart specs={rec.specs} budgetGb={rec.inputs.memory_gb} />
          </Card>
          <Card title="Your measurements beside the evidence">
            <MeasuredBesideEvidence rec={rec} />
          </Card>
        </>
      )}
    </div>
  );
}
