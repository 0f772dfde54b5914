/**
 * The dashboard's orchestration: the ModelAnalysis on screen and the ViewState (mirrored into
 * the URL with history.replaceState, so the address is always a share link), opening models (a
 * second open cancels the first), bundles and reopened runs (the store: use-run-store.ts), the
 * Hub endpoint and the share link. Analysis code (Web Workers, duckdb-wasm) is loaded on
 * demand, after the first paint, so the demo shows at once and without network.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { ModelSpec } from "@/lib/formats/open.ts";
import type { ModelAnalysis, ViewState } from "@/lib/analysis/types.ts";
import type { Progress } from "@/lib/web/session.ts";
import { decodeView, encodeView, patchView, shareUrl } from "@/lib/share/url-state.ts";
import { analysisIdOf } from "@/lib/analysis/live.ts";
import { loadStore, useRunStore } from "./use-run-store.ts";
import { writeReportLink } from "@/components/report/use-report-link.ts";

/** progress repaints at most this often (chunks arrive far faster) */
const PROGRESS_INTERVAL_MS = 100;

const loadSession = () => import("@/lib/web/session.ts");

/** State and actions of one dashboard page, starting from the demo and the view the URL names. */
export function useDashboardSession(demo: ModelAnalysis, initialView: ViewState) {
  const { runs, storeState, getStore, refreshRuns, evals } = useRunStore();
  const [analysis, setAnalysis] = useState<ModelAnalysis>(demo);
  const [view, setViewState] = useState<ViewState>(initialView);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  /** what is being opened (a link's model on first load, a picked file), until it is on screen or has failed */
  const [loading, setLoading] = useState<string | null>(initialView.model !== demo.id ? initialView.model : null);
  /** what the analysis on screen was opened from, while its weights are still in this page (for evaluations) */
  const [openedSpec, setOpenedSpec] = useState<ModelSpec | null>(null);
  const [hub, setHubState] = useState("");
  const hubRef = useRef("");
  const setHub = (h: string) => { hubRef.current = h; setHubState(h); };
  const abortRef = useRef<AbortController | null>(null);

  const setView = useCallback((patch: Partial<ViewState>) => setViewState((v) => patchView(v, patch)), []);

  // URL <- view (replaceState: the address is a share link, history is not flooded)
  useEffect(() => {
    const u = new URL(location.href);
    const q = encodeView(view, u.searchParams).toString();
    const next = `${u.pathname}${q ? `?${q}` : ""}`;
    if (next !== `${u.pathname}${u.search}`) history.replaceState(history.state, "", next);
  }, [view]);

  const show = useCallback((a: ModelAnalysis, keepView = false) => {
    setAnalysis(a);
    setLoading(null);
    setOpenedSpec(null);
    if (!keepView) setViewState((v) => patchView(v, { model: a.id, tensor: null, filters: { layer: null, module: null, text: "" }, tab: v.tab === "runs" ? "overview" : v.tab }));
    else setView({ model: a.id });
  }, [setView]);

  /** Runs one analysis; a second open cancels the first. */
  const analyze = useCallback(async (spec: ModelSpec, keepView = false) => {
    abortRef.current?.abort();
    const ac = new AbortController();
    abortRef.current = ac;
    setBusy(true); setError(null); setNotice(null); setProgress(null);
    setLoading(typeof spec === "string" || spec instanceof File || Array.isArray(spec) ? analysisIdOf(spec) : "model");
    let last = 0;
    try {
      // the store (duckdb-wasm, seconds to open) is awaited after the header check: a bad file fails at once
      const storeP = getStore();
      const session = await loadSession();
      const { analysis: a } = await session.analyzeModel(spec, {
        signal: ac.signal, endpoint: hubRef.current || undefined, store: storeP.then((s) => s?.store ?? null),
        onProgress: (p) => {
          const now = performance.now();
          if (now - last >= PROGRESS_INTERVAL_MS || p.tensorsDone === p.tensorCount) { last = now; setProgress(p); }
        },
      });
      const s = await storeP;
      if (s) await (await loadStore()).checkpoint(s.store);
      show(a, keepView);
      setOpenedSpec(spec);
    } catch (e) {
      if (abortRef.current === ac) { setBusy(false); setProgress(null); }
      const session = await loadSession();
      if (session.isAbort(e) || ac.signal.aborted) setNotice("Cancelled. The tensors finished so far are kept in Runs.");
      else setError(session.plainError(e));
      const s = await getStore();
      if (s) await (await loadStore()).checkpoint(s.store).catch(() => undefined);
    } finally {
      if (abortRef.current === ac) { abortRef.current = null; setBusy(false); setProgress(null); setLoading(null); }
      void refreshRuns();
    }
  }, [getStore, refreshRuns, show]);

  const openBundleBytes = useCallback(async (bytes: Uint8Array, keepView = false) => {
    setError(null); setNotice(null);
    try {
      const s = await getStore();
      const opened = await (await loadStore()).openBundle(bytes, s?.store ?? null);
      // an evaluation run opens into the Runs tab's results table
      if (opened.kind === "eval") { evals.show(opened.run); setView({ tab: "runs" }); setLoading(null); }
      else if (opened.kind === "report") {
        // a report bundle: its inputs into the address, its model on screen, then its report (or comparison)
        writeReportLink(opened.link);
        if (opened.analysis) show(opened.analysis, true);
        setView({ tab: opened.link.compare ? "runs" : "report" });
        setLoading(null);
      } else show(opened.analysis, keepView);
      void refreshRuns();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [getStore, refreshRuns, show, evals, setView]);

  const onFiles = useCallback(async (files: File[]) => {
    // a result (or report) bundle is known by its name or its first bytes (a drop may have renamed it)
    if (files.length === 1 && (files[0]!.name.endsWith(".qlbundle") || ["QLBUNDLE", "QLREPORT"].includes(await files[0]!.slice(0, 8).text()))) {
      await openBundleBytes(new Uint8Array(await files[0]!.arrayBuffer()));
      return;
    }
    void analyze(files.length === 1 ? files[0]! : files);
  }, [analyze, openBundleBytes]);

  const onTyped = useCallback(async (text: string) => {
    const session = await loadSession();
    try {
      void analyze(session.checkTypedSpec(text));
    } catch (e) {
      setError((e as Error).message);
    }
  }, [analyze]);

  const reopen = useCallback(async (runId: string, keepView = false) => {
    const s = await getStore();
    if (!s) { setLoading(null); return; }
    try {
      show(await (await loadStore()).reopenRun(s.store, runId), keepView);
    } catch (e) {
      setLoading(null);
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [getStore, show]);

  const download = useCallback(async (runId: string) => {
    const s = await getStore();
    if (!s) return;
    const bytes = await (await loadStore()).exportRunBundle(s.store, runId);
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([bytes as BlobPart], { type: "application/octet-stream" }));
    a.download = `quantlens-${runId.slice(0, 8)}.qlbundle`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }, [getStore]);

  // first load: the hub endpoint and a bundle from the URL, the store, and the model the link names
  useEffect(() => {
    const params = new URL(location.href).searchParams;
    const endpoint = params.get("hub") ?? "";
    if (/^https?:\/\//.test(endpoint)) setHub(endpoint);
    const bundleUrl = params.get("bundle");
    void (async () => {
      await refreshRuns();
      if (bundleUrl) {
        try {
          const res = await fetch(new URL(bundleUrl, location.href));
          if (!res.ok) throw new Error(`the bundle link answered ${res.status}`);
          await openBundleBytes(new Uint8Array(await res.arrayBuffer()), true);
        } catch (e) {
          setLoading(null);
          setError(`Could not open the shared bundle: ${(e as Error).message}`);
        }
        return;
      }
      const wanted = decodeView(params).model;
      if (wanted === demo.id) return;
      const s = await getStore();
      const runId = s ? await (await loadStore()).latestRunOf(s.store, wanted) : null;
      if (runId) await reopen(runId, true);
      else if (wanted.startsWith("hf:")) void analyze(wanted, true);
      else { setLoading(null); setNotice(`This link names ${wanted}, which is not in this browser. Open the model's files, or ask for a result bundle.`); }
    })();
    // once, on mount
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // keep ?hub= in the address when the endpoint is edited
  const onHubEndpoint = (endpoint: string) => {
    setHub(endpoint);
    const u = new URL(location.href);
    if (endpoint) u.searchParams.set("hub", endpoint); else u.searchParams.delete("hub");
    history.replaceState(history.state, "", `${u.pathname}${u.search}`);
  };

  const copyLink = async () => {
    const link = shareUrl(location.href, view);
    try {
      await navigator.clipboard.writeText(link);
      setCopied("Link copied");
    } catch {
      setCopied(link); // no clipboard permission: show it to copy by hand
    }
    setTimeout(() => setCopied(null), 4000);
  };

  const showDemo = () => { abortRef.current?.abort(); show(demo); };
  const cancel = () => abortRef.current?.abort();
  const getRunStore = async () => (await getStore())?.store ?? null;

  return {
    analysis, view, setView, progress, busy, error, notice, runs, evals, storeState, copied, openedSpec, hub, loading,
    onFiles, onTyped, showDemo, cancel, onHubEndpoint, copyLink, reopen, download, getRunStore, refreshRuns,
  };
}
