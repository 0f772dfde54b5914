/**
 * What the Summary tab shows that needs the store: the measured specs of the model on screen (its
 * embedded evaluation at once, the store's own runs once it is open) and the recommendation the
 * engine gives for them with the inputs of the Recommend tab (the URL's, else the model's).
 */
import { useEffect, useState } from "react";
import type { ModelAnalysis } from "@/lib/analysis/types.ts";
import { recommend } from "@/lib/recommend/engine.ts";
import type { Recommendation } from "@/lib/recommend/result.ts";
import type { MeasuredSpec } from "@/lib/recommend/types.ts";
import type { Store } from "@/lib/store/store.ts";
import { embeddedMeasured, measuredSpecsFor, recommendInputOf } from "@/lib/web/evidence.ts";
import { useEvidenceStore } from "@/components/evidence/use-evidence-store.ts";
import { useRecommendUrl } from "@/components/evidence/use-evidence-url.ts";

export type Answer = { state: "loading" } | { state: "ready"; rec: Recommendation } | { state: "failed"; error: string };

/** Measured specs (null while the store is read and nothing is embedded) and the recommendation. */
export function useSummary(analysis: ModelAnalysis, getStore: (() => Promise<Store | null>) | undefined) {
  const ev = useEvidenceStore(getStore);
  const [inputs] = useRecommendUrl();
  const embedded = embeddedMeasured(analysis);
  const [measured, setMeasured] = useState<MeasuredSpec[] | null>(embedded.length ? embedded : null);
  const [answer, setAnswer] = useState<Answer>({ state: "loading" });
  const store = ev.state === "ready" ? ev.store : null;

  useEffect(() => {
    const e = embeddedMeasured(analysis);
    setMeasured(e.length ? e : null);
    setAnswer({ state: "loading" });
  }, [analysis]);
  useEffect(() => {
    if (ev.state === "failed") { setAnswer({ state: "failed", error: ev.error }); setMeasured((m) => m ?? embeddedMeasured(analysis)); }
  }, [ev, analysis]);
  useEffect(() => {
    if (!store || !inputs) return;
    let live = true;
    (async () => {
      const m = await measuredSpecsFor(store, analysis);
      if (live) setMeasured(m);
      return recommend(store, recommendInputOf(analysis, inputs, m));
    })().then((rec) => { if (live) setAnswer({ state: "ready", rec }); }, (e: Error) => { if (live) setAnswer({ state: "failed", error: e.message }); });
    return () => { live = false; };
  }, [store, inputs, analysis]);
  return { measured, answer };
}
