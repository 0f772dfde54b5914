"use client";
/**
 * Evidence tab: the published results (Qllm-Eval, the LLaMA3 study) from the dashboard's store,
 * filtered through the URL; accuracy against precision per family, the model x precision drop
 * heatmap, long-context accuracy, and the rows behind them. Every number is a named query of
 * lib/store/evidence-explorer.ts over the same filter.
 */
import { useEffect, useState } from "react";
import {
  fetchDropGrid, fetchExplorerFacets, fetchExplorerRows, fetchLongContextByLength, fetchLongContextByPosition, fetchPrecisionPoints,
  type DropCell, type ExplorerFacets, type ExplorerRow, type LongContextPoint, type PrecisionPoint,
} from "@/lib/store/evidence-explorer.ts";
import type { ExplorerFilter } from "@/lib/store/evidence-explorer.ts";
import type { Store } from "@/lib/store/store.ts";
import { Card } from "@/components/ui/card.tsx";
import { Skeleton } from "@/components/ui/skeleton.tsx";
import type { PanelProps } from "@/components/dashboard/panel-props.ts";
import { DropHeatmap } from "./drop-heatmap.tsx";
import { EvidenceFilters } from "./evidence-filters.tsx";
import { EvidenceRowsTable } from "./evidence-rows-table.tsx";
import { LongContextCharts } from "./long-context-charts.tsx";
import { PrecisionCharts } from "./precision-charts.tsx";
import { useEvidenceStore, type EvidenceStore } from "./use-evidence-store.ts";
import { useExplorerUrl } from "./use-evidence-url.ts";

interface ExplorerData { rows: ExplorerRow[]; points: PrecisionPoint[]; cells: DropCell[]; byLength: LongContextPoint[]; byPosition: LongContextPoint[] }

async function readAll(store: Store, f: ExplorerFilter): Promise<ExplorerData> {
  // one at a time: a duckdb-wasm connection runs one query at a time anyway
  const rows = await fetchExplorerRows(store, f);
  const points = await fetchPrecisionPoints(store, f);
  const cells = await fetchDropGrid(store, f);
  const byLength = await fetchLongContextByLength(store, f);
  const byPosition = await fetchLongContextByPosition(store, f);
  return { rows, points, cells, byLength, byPosition };
}

/** "Loaded 7,560 rows in 1.2 s" or "from this browser's store". */
export function EvidenceLoadNote({ ev }: { ev: EvidenceStore & { state: "ready" } }) {
  const how = ev.load.cached ? "already in this browser's store" : `loaded from data/evidence in ${(ev.load.loadMs / 1000).toFixed(1)} s`;
  return <p className="text-xs text-slate-500" data-testid="evidence-load" data-cached={String(ev.load.cached)} data-ms={Math.round(ev.ms)} data-load-ms={Math.round(ev.load.loadMs)} data-fetch-ms={Math.round(ev.load.fetchMs)}>{ev.load.summary.results.toLocaleString("en-US")} published results and {ev.load.summary.findings} findings, {how} (ready after {(ev.ms / 1000).toFixed(1)} s).</p>;
}

export function EvidencePanel({ getStore }: PanelProps) {
  const ev = useEvidenceStore(getStore);
  const [state, setState] = useExplorerUrl();
  const [facets, setFacets] = useState<ExplorerFacets | null>(null);
  const [data, setData] = useState<ExplorerData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const store = ev.state === "ready" ? ev.store : null;
  const filter = state?.filter ?? null;

  useEffect(() => {
    if (store) fetchExplorerFacets(store).then(setFacets, (e: Error) => setError(e.message));
  }, [store]);
  useEffect(() => {
    if (!store || !filter) return;
    let live = true;
    readAll(store, filter).then((d) => { if (live) setData(d); }, (e: Error) => setError(e.message));
    return () => { live = false; };
  }, [store, filter]);

  if (ev.state === "failed") return <Card title="Evidence"><p className="text-sm text-red-700" role="alert">{ev.error}</p></Card>;
  if (ev.state === "loading" || !state || !facets) {
    return <Card title="Evidence"><p className="mb-3 text-sm text-slate-500">Loading the published results into this browser&apos;s store…</p><Skeleton className="h-64" /></Card>;
  }
  return (
    <div className="space-y-5" data-testid="evidence-panel">
      <Card title="Evidence: published quantization results">
        <EvidenceFilters facets={facets} state={state} onChange={setState} />
        <div className="mt-3"><EvidenceLoadNote ev={ev} /></div>
        {error && <p className="mt-2 text-sm text-red-700" role="alert">{error}</p>}
      </Card>
      {!data ? <Skeleton className="h-96" /> : (
        <>
          <Card title="Accuracy against precision, per family">
            <p className="mb-3 text-xs text-slate-500">Mean score of each model over the filtered datasets; a line per model, quant target and method (RTN unless named), starting at its FP16 score over the same rows.</p>
            <PrecisionCharts points={data.points} measure={state.measure} />
          </Card>
          <Card title="Relative drop by model and precision">
            <p className="mb-3 text-xs text-slate-500">(FP16 − quantized) / FP16 in %, averaged per dataset, then over datasets.</p>
            <DropHeatmap cells={data.cells} />
          </Card>
          <Card title="Long context">
            <p className="mb-3 text-xs text-slate-500">Mean accuracy per spec: LongEval prompt lengths (4k to 16k), and needle positions of LongEval 16k and lost-in-the-middle.</p>
            <LongContextCharts byLength={data.byLength} byPosition={data.byPosition} />
          </Card>
          <Card title="Rows behind the charts">
            <EvidenceRowsTable rows={data.rows} filename="quantlens-evidence.csv" />
          </Card>
        </>
      )}
    </div>
  );
}
