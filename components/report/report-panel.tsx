"use client";
/**
 * Report tab: the report of the model on screen, built in this browser from its store (the link's
 * run when it is this model's, else its latest statistics run), with the recommendation for the
 * task, context and budget above it. Every input is in the URL, so the address is a link that
 * reopens the same report; the report bundle carries the runs and inputs to another machine; the
 * standalone HTML and the Markdown download.
 */
import { useEffect, useRef, useState } from "react";
import type { ModelAnalysis } from "@/lib/analysis/types.ts";
import type { ReportDoc } from "@/lib/report/model.ts";
import type { Store } from "@/lib/store/store.ts";
import { Button } from "@/components/ui/button.tsx";
import { ReportView } from "./report-view.tsx";
import { ReportInputs } from "./report-inputs.tsx";
import { copyText, useReportLink } from "./use-report-link.ts";
import type { ReportLinkState } from "@/lib/share/report-url-state.ts";

type State = { kind: "loading" } | { kind: "none"; why: string } | { kind: "ready"; doc: ReportDoc; runId: string | null };
/** inputs typed in a row rebuild the report once */
const REBUILD_DELAY_MS = 250;

/** The demo's report, built once per page and inputs (a store of its own, seeded from the embedded runs, with the evidence). */
let demoDoc: { of: ModelAnalysis; key: string; doc: Promise<ReportDoc> } | null = null;
function demoReport(a: ModelAnalysis, link: ReportLinkState): Promise<ReportDoc> {
  const key = JSON.stringify([link.task, link.context, link.memoryGb]);
  if (demoDoc?.of !== a || demoDoc.key !== key) {
    const doc = (async () => {
      const [{ reportOfDemo }, { openMemoryStore }, { ensureEvidence }] = await Promise.all([
        import("@/lib/web/report.ts"), import("@/lib/web/session-store.ts"), import("@/lib/web/evidence.ts")]);
      return reportOfDemo(a, { open: openMemoryStore, loadEvidence: ensureEvidence }, {
        recommendation: { task: link.task, memoryGb: link.memoryGb }, ...(link.context ? { context: link.context } : {}),
      });
    })();
    doc.catch(() => { demoDoc = null; }); // a later visit retries
    demoDoc = { of: a, key, doc };
  }
  return demoDoc.doc;
}

/** Saves `data` as a file through an object URL. */
export function save(name: string, type: string, data: string | Uint8Array): void {
  const url = URL.createObjectURL(new Blob([data as BlobPart], { type }));
  const a = Object.assign(document.createElement("a"), { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Loads the published evidence into the store for the recommendation; false when it cannot be had. */
export const loadEvidence = async (s: Store) => (await import("@/lib/web/evidence.ts")).ensureEvidence(s).then(() => true, () => false);

/** A file name from a model name: its last path part, with odd characters replaced. */
export const fileBase = (model: string) => model.replace(/^.*[\\/]/, "").replace(/[^\w.-]+/g, "_") || "report";

export function ReportPanel({ analysis, getStore }: { analysis: ModelAnalysis; getStore: () => Promise<Store | null> }) {
  const [state, setState] = useState<State>({ kind: "loading" });
  const [link, setLink, ready] = useReportLink(analysis.id);
  const [copied, setCopied] = useState<string | null>(null);
  // the dashboard hands a new getStore each render: the report is rebuilt per model and inputs only
  const storeOf = useRef(getStore);
  storeOf.current = getStore;
  const shownFor = useRef<string | null>(null);
  const linkRef = useRef(link);
  linkRef.current = link;
  useEffect(() => {
    if (!ready) return;
    let live = true;
    // new inputs keep the report on screen until the next one is built; another model does not
    const sameModel = shownFor.current === analysis.id;
    shownFor.current = analysis.id;
    setState((s) => (s.kind === "ready" && sameModel ? s : { kind: "loading" }));
    const timer = setTimeout(() => void (async () => {
      const store = await storeOf.current();
      if (!store) return live && setState({ kind: "none", why: "This browser's result store could not be opened." });
      const { reportOfSource } = await import("@/lib/web/report.ts");
      const r = await reportOfSource(store, analysis.id, { link: linkRef.current, evidence: loadEvidence })
        .catch((e: unknown) => { if (live) setState({ kind: "none", why: String(e instanceof Error ? e.message : e) }); return undefined; });
      if (!live || r === undefined) return;
      // the embedded demo has no run in this browser: its report is built from the runs it carries
      if (!r && analysis.measured) {
        const doc = await demoReport(analysis, linkRef.current).catch((e: unknown) => { if (live) setState({ kind: "none", why: String(e instanceof Error ? e.message : e) }); return undefined; });
        if (live && doc) setState({ kind: "ready", doc, runId: null });
        return;
      }
      if (!r) return setState({ kind: "none", why: `No statistics run of ${analysis.id} is stored in this browser: open the model (or its bundle) to compute one, or write the report with \`quantlens report\`.` });
      setState({ kind: "ready", ...r });
      if (linkRef.current.run !== r.runId) setLink({ run: r.runId }); // the address names the run shown
    })(), REBUILD_DELAY_MS);
    return () => { live = false; clearTimeout(timer); };
  }, [analysis.id, ready, link.task, link.context, link.memoryGb, setLink]);

  const inputs = <ReportInputs link={link} onChange={setLink} />;
  if (state.kind === "loading") return <div className="space-y-4">{inputs}<p className="text-sm text-slate-500" data-testid="report-loading">Building the report…</p></div>;
  if (state.kind === "none") return <p className="text-sm text-slate-600" data-testid="report-none">{state.why}</p>;
  const base = fileBase(state.doc.header.model);
  const bundle = async () => {
    const store = await storeOf.current();
    if (store && state.runId) save(`${base}-report.qlbundle`, "application/octet-stream", await (await import("@/lib/web/session-store.ts")).exportReportBundle(store, { ...link, run: state.runId, compare: null }));
  };
  return (
    <div className="space-y-4" data-testid="report" data-run-id={state.runId ?? undefined}>
      <div className="flex flex-wrap items-end justify-between gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
        {inputs}
        <div className="flex flex-wrap gap-2">
          <Button onClick={async () => { setCopied(await copyText(location.href, "Report link copied")); setTimeout(() => setCopied(null), 4000); }} data-testid="report-copy-link"
            title="A link to this report: the run, task, context and budget; it opens in a browser that holds the run (or add its bundle)">Copy report link</Button>
          {state.runId && <Button onClick={() => void bundle()} data-testid="report-bundle" title="The runs this report reads and its inputs, for another machine">Report bundle</Button>}
          <Button onClick={async () => save(`${base}-report.html`, "text/html", (await import("@/lib/report/render/html.ts")).renderHtml(state.doc))}>Download HTML</Button>
          <Button onClick={async () => save(`${base}-report.md`, "text/markdown", (await import("@/lib/report/render/markdown.ts")).renderMarkdown(state.doc).markdown)}>Download Markdown</Button>
        </div>
        {copied && <p className="w-full break-all text-right text-xs text-slate-500" data-testid="report-link">{copied}</p>}
      </div>
      <ReportView doc={state.doc} />
    </div>
  );
}
