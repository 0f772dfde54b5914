"use client";
/**
 * Report tab: the report of the model on screen, built in this browser from its latest statistics
 * run in the dashboard's store (duckdb-wasm), with the standalone HTML and the Markdown to download.
 */
import { useEffect, useRef, useState } from "react";
import type { ModelAnalysis } from "@/lib/analysis/types.ts";
import type { ReportDoc } from "@/lib/report/model.ts";
import type { Store } from "@/lib/store/store.ts";
import { Button } from "@/components/ui/button.tsx";
import { ReportView } from "./report-view.tsx";

type State = { kind: "loading" } | { kind: "none"; why: string } | { kind: "ready"; doc: ReportDoc };

/** The demo's report, built once per page (a store of its own, seeded from the embedded runs, with the evidence). */
let demoDoc: { of: ModelAnalysis; doc: Promise<ReportDoc> } | null = null;
function demoReport(a: ModelAnalysis): Promise<ReportDoc> {
  if (demoDoc?.of !== a) {
    const doc = (async () => {
      const [{ reportOfDemo }, { openMemoryStore }, { ensureEvidence }] = await Promise.all([
        import("@/lib/web/report.ts"), import("@/lib/web/session-store.ts"), import("@/lib/web/evidence.ts")]);
      return reportOfDemo(a, { open: openMemoryStore, loadEvidence: ensureEvidence });
    })();
    doc.catch(() => { demoDoc = null; }); // a later visit retries
    demoDoc = { of: a, doc };
  }
  return demoDoc.doc;
}

/** Saves `text` as a file through an object URL. */
function save(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = Object.assign(document.createElement("a"), { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ReportPanel({ analysis, getStore }: { analysis: ModelAnalysis; getStore: () => Promise<Store | null> }) {
  const [state, setState] = useState<State>({ kind: "loading" });
  // the dashboard hands a new getStore each render: the report is rebuilt per model only
  const storeOf = useRef(getStore);
  storeOf.current = getStore;
  useEffect(() => {
    let live = true;
    setState({ kind: "loading" });
    void (async () => {
      const store = await storeOf.current();
      if (!store) return live && setState({ kind: "none", why: "This browser's result store could not be opened." });
      const { reportOfSource } = await import("@/lib/web/report.ts");
      const failed = (e: unknown) => { if (live) setState({ kind: "none", why: String(e instanceof Error ? e.message : e) }); return undefined; };
      let doc = await reportOfSource(store, analysis.id).catch(failed);
      // the embedded demo has no run in this browser: its report is built from the runs it carries
      if (doc === null && analysis.measured) doc = await demoReport(analysis).catch(failed);
      if (!live || doc === undefined) return;
      setState(doc ? { kind: "ready", doc } : { kind: "none", why: `No statistics run of ${analysis.id} is stored in this browser: open the model (or its bundle) to compute one, or write the report with \`quantlens report\`.` });
    })();
    return () => { live = false; };
  }, [analysis.id]);

  if (state.kind === "loading") return <p className="text-sm text-slate-500" data-testid="report-loading">Building the report…</p>;
  if (state.kind === "none") return <p className="text-sm text-slate-600" data-testid="report-none">{state.why}</p>;
  const base = state.doc.header.model.replace(/^.*[\\/]/, "").replace(/[^\w.-]+/g, "_") || "report";
  return (
    <div className="space-y-4" data-testid="report">
      <div className="flex gap-2">
        <Button onClick={async () => save(`${base}-report.html`, "text/html", (await import("@/lib/report/render/html.ts")).renderHtml(state.doc))}>Download HTML</Button>
        <Button onClick={async () => save(`${base}-report.md`, "text/markdown", (await import("@/lib/report/render/markdown.ts")).renderMarkdown(state.doc).markdown)}>Download Markdown</Button>
      </div>
      <ReportView doc={state.doc} />
    </div>
  );
}
