"use client";
/**
 * The Compare view of the Runs tab: the two runs the link names (`cmp=a,b`), compared in this
 * browser's store with the link's task, context and budget; the comparison downloads as HTML,
 * Markdown or a report bundle (both runs and the inputs, for another machine).
 */
import { useEffect, useRef, useState } from "react";
import type { Comparison } from "@/lib/report/compare-load.ts";
import type { ReportDoc } from "@/lib/report/model.ts";
import type { ReportLinkState } from "@/lib/share/report-url-state.ts";
import type { Store } from "@/lib/store/store.ts";
import { Button } from "@/components/ui/button.tsx";
import { fileBase, loadEvidence, save } from "@/components/report/report-panel.tsx";
import { CompareView } from "./compare-view.tsx";

type State = { kind: "loading" } | { kind: "failed"; why: string } | { kind: "ready"; cmp: Comparison; doc: ReportDoc };

export function ComparePanel({ pair, link, getStore, onClose }: {
  pair: [string, string]; link: ReportLinkState; getStore: () => Promise<Store | null>; onClose: () => void;
}) {
  const [state, setState] = useState<State>({ kind: "loading" });
  const storeOf = useRef(getStore);
  storeOf.current = getStore;
  const [a, b] = pair;
  useEffect(() => {
    let live = true;
    setState({ kind: "loading" });
    void (async () => {
      const store = await storeOf.current();
      if (!store) return live && setState({ kind: "failed", why: "This browser's result store could not be opened." });
      try {
        const { compareRuns } = await import("@/lib/web/report.ts");
        const r = await compareRuns(store, a, b, link, loadEvidence);
        if (live) setState({ kind: "ready", ...r });
      } catch (e) {
        if (live) setState({ kind: "failed", why: `Could not compare the runs: ${e instanceof Error ? e.message : String(e)}. A link's runs must be in this browser: open their report bundle.` });
      }
    })();
    return () => { live = false; };
  }, [a, b, link.task, link.context, link.memoryGb]); // eslint-disable-line react-hooks/exhaustive-deps

  const base = state.kind === "ready" ? `${fileBase(state.cmp.a.ctx.model.name)}-vs-${fileBase(state.cmp.b.ctx.model.name)}` : "compare";
  const bundle = async () => {
    const store = await storeOf.current();
    if (store) save(`${base}-compare.qlbundle`, "application/octet-stream", await (await import("@/lib/web/session-store.ts")).exportReportBundle(store, { ...link, run: null, compare: pair }));
  };
  return (
    <section className="space-y-4 rounded-xl border border-slate-300 bg-slate-50/60 p-5" data-testid="compare-panel" aria-label="Compare two runs">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 className="text-lg font-semibold text-slate-900">Compare two runs</h2>
          <p className="text-xs text-slate-500">Every difference is b − a; blue: lower in b, red: higher in b.</p>
        </div>
        <div className="flex flex-wrap gap-2">
          {state.kind === "ready" && <>
            <Button onClick={async () => save(`${base}-compare.html`, "text/html", (await import("@/lib/report/render/html.ts")).renderHtml(state.doc))} data-testid="compare-html">Download HTML</Button>
            <Button onClick={async () => save(`${base}-compare.md`, "text/markdown", (await import("@/lib/report/render/markdown.ts")).renderMarkdown(state.doc).markdown)}>Download Markdown</Button>
            <Button onClick={() => void bundle()} data-testid="compare-bundle" title="Both runs, the eval runs beside them and the inputs, for another machine">Report bundle</Button>
          </>}
          <Button variant="ghost" onClick={onClose} data-testid="compare-close">Close</Button>
        </div>
      </div>
      {state.kind === "loading" && <p className="text-sm text-slate-500" data-testid="compare-loading">Comparing the runs…</p>}
      {state.kind === "failed" && <p className="text-sm text-rose-700" data-testid="compare-failed">{state.why}</p>}
      {state.kind === "ready" && <CompareView cmp={state.cmp} />}
    </section>
  );
}
