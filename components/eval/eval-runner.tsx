"use client";
/**
 * Evaluation of quantization specs on the user's own text, in this browser: perplexity, mean NLL,
 * KL divergence from FP32 and top-1 agreement per spec (the CONTRACT metrics of `quantlens eval`).
 * The model is the one the dashboard opened (its File, folder files or `hf:` id stay in the page);
 * the work runs in a Web Worker (lib/web/eval-client.ts) and each finished spec is recorded
 * in the dashboard's store. Every name and message is rendered as text.
 */
import { useEffect, useId, useMemo, useRef, useState, type DragEvent, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { fmtDuration } from "@/lib/viz/format.ts";
import { ProgressBar } from "@/components/ui/progress.tsx";
import { startEval, type EvalHandle, type SpecRow } from "@/lib/web/eval-client.ts";
import { countDocuments, DEFAULT_SPECS, orderSpecs, PRESET_SPECS, type EvalTokenizerInput, type RunProgress } from "@/lib/web/worker-protocol.ts";
import type { ModelSpec } from "@/lib/formats/open.ts";
import { parseSpec, SpecError } from "@/lib/quant/spec.ts";
import type { Store } from "@/lib/store/store.ts";
import { fmtInt, fmtNum, fmtPct } from "@/lib/viz/format.ts";

export interface EvalRunnerProps {
  /** what the user opened, still in this page (File, a folder's files, `hf:` id or URL); null when no weights are here (demo, bundle, reopened run) */
  model: ModelSpec | null;
  /** shown as text */
  modelName: string;
  /** the model's format ("gguf" carries its own tokenizer) */
  format: string;
  /** Hub endpoint for `hf:` ids */
  endpoint?: string;
  /** what the dashboard calls the model (models.source), e.g. `local:stories260K.gguf` */
  modelLabel?: string;
  /** the dashboard's store, opened on first use; null or absent: results are not recorded */
  getStore?: () => Promise<Store | null>;
  /** a run was recorded (to refresh lists) */
  onRecorded?: () => void;
}

const TOKENIZER_NAMES = ["tokenizer.json"];
const SEPARATOR = "<|endoftext|>";
const METHOD_NEEDS_CALIB = /-(awq|gptq|smoothquant)\b/i;

type Phase = RunProgress["phase"];
const PHASE_LABEL: Record<Phase, string> = { load: "loading weights", calibrate: "calibrating", quantize: "quantizing", evaluate: "evaluating" };

/** The custom spec box: null when empty, else the canonical text or the parse error. */
function checkSpec(text: string): { canonical: string } | { error: string } | null {
  if (!text.trim()) return null;
  try {
    return { canonical: parseSpec(text).text };
  } catch (e) {
    return { error: e instanceof SpecError ? e.detail : (e as Error).message };
  }
}

export function EvalRunner({ model, modelName, format, endpoint, modelLabel, getStore, onRecorded }: EvalRunnerProps) {
  const ids = { text: useId(), custom: useId(), tok: useId(), calib: useId() };
  const [text, setText] = useState("");
  const [calibText, setCalibText] = useState("");
  const [tokFile, setTokFile] = useState<File | null>(null);
  const [selected, setSelected] = useState<string[]>([...DEFAULT_SPECS]);
  const [custom, setCustom] = useState<string[]>([]);
  const [typed, setTyped] = useState("");
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<RunProgress | null>(null);
  const [prepared, setPrepared] = useState<{ documents: number; tokens: number; tokenizer: string } | null>(null);
  const [results, setResults] = useState<SpecRow[]>([]);
  /** the specs of the run on screen, in run order */
  const [runOrder, setRunOrder] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [dragOver, setDragOver] = useState(false);
  const handle = useRef<EvalHandle | null>(null);

  // a new model: earlier results belong to the old one
  useEffect(() => {
    setResults([]); setRunOrder([]); setPrepared(null); setError(null); setNotice(null); setTokFile(null);
    return () => handle.current?.cancel();
  }, [model]);

  const folderTokenizer = useMemo(() => (Array.isArray(model) ? model.find((f) => TOKENIZER_NAMES.includes(f.name)) ?? null : null), [model]);
  const folderTokConfig = useMemo(() => (Array.isArray(model) ? model.find((f) => f.name === "tokenizer_config.json") ?? null : null), [model]);
  const ownTokenizer = format === "gguf";
  const tokenizer: EvalTokenizerInput | null = ownTokenizer ? "embedded"
    : tokFile ? { file: tokFile, name: tokFile.name, config: folderTokConfig ?? undefined }
    : folderTokenizer ? { file: folderTokenizer, name: folderTokenizer.name, config: folderTokConfig ?? undefined }
    : typeof model === "string" ? "beside" // tokenizer.json from the Hub repo or the URL's folder, fetched by the worker
    : null;
  const documents = useMemo(() => countDocuments(text), [text]);
  const check = checkSpec(typed);
  const chips = [...PRESET_SPECS, ...custom];
  const specs = chips.filter((s) => selected.includes(s));
  const needsCalib = specs.some((s) => METHOD_NEEDS_CALIB.test(s));

  if (model === null) {
    return (
      <Card title="Evaluate on your text" className="border-sky-200">
        <div className="space-y-2 text-sm text-slate-700" data-testid="eval-no-weights">
          <p className="font-medium text-slate-900">The weights of {modelName} are not in this browser.</p>
          <p>
            The model on screen was computed elsewhere (the bundled demo, a result bundle or a run reopened from the store), so there is
            nothing here to run. To measure perplexity, KL divergence and top-1 agreement of quantization specs on your own text, open the
            model itself above: a <span className="font-mono">.gguf</span> file (its tokenizer comes with it), a safetensors folder with
            config.json and tokenizer.json, a llama2.c <span className="font-mono">.bin</span>, or a Hugging Face id such as{" "}
            <span className="font-mono">hf:karpathy/stories260K</span>. Everything runs in this browser; nothing is uploaded.
          </p>
          <p className="text-slate-500">
            From a terminal: <span className="font-mono">npx quantlens eval model.gguf --text text.txt --spec FP32,W8,W4</span>
          </p>
        </div>
      </Card>
    );
  }

  const toggle = (s: string) => setSelected((cur) => (cur.includes(s) ? cur.filter((x) => x !== s) : [...cur, s]));
  const addCustom = () => {
    if (!check || "error" in check) return;
    const canonical = check.canonical;
    const existing = chips.find((c) => checkSpec(c) !== null && (checkSpec(c) as { canonical?: string }).canonical === canonical);
    if (existing) setSelected((cur) => (cur.includes(existing) ? cur : [...cur, existing]));
    else { setCustom((c) => [...c, canonical]); setSelected((cur) => [...cur, canonical]); }
    setTyped("");
  };
  const onCustomKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter") { e.preventDefault(); addCustom(); }
  };
  const readTextFile = async (f: File | undefined) => {
    if (!f) return;
    setText(await f.text());
    setPrepared(null);
  };
  const onDrop = (e: DragEvent<HTMLTextAreaElement>) => {
    const f = e.dataTransfer.files[0];
    setDragOver(false);
    if (f) { e.preventDefault(); void readTextFile(f); }
  };

  const missing = !text.trim() || documents === 0 ? "Paste or pick the text to evaluate on."
    : !tokenizer ? "Pick the tokenizer first."
    : specs.length === 0 ? "Pick at least one spec."
    : null;

  const run = () => {
    if (missing || running || !tokenizer) return;
    setError(null); setNotice(null); setResults([]); setProgress(null); setPrepared(null);
    let h: EvalHandle;
    try {
      h = startEval({
        model, endpoint, tokenizer, text, calibText: needsCalib && calibText.trim() ? calibText : undefined, specs, modelLabel,
        store: getStore ? getStore().catch(() => null) : null,
        onPrepared: setPrepared,
        onProgress: setProgress,
        onSpec: (row) => setResults((r) => [...r, row]),
        onStoreError: (m) => setNotice(m),
      });
    } catch (e) {
      setError((e as Error).message);
      return;
    }
    handle.current = h;
    setRunOrder(orderSpecs(specs).map((s) => s.name));
    setRunning(true);
    void h.finished.then((o) => {
      if (handle.current === h) handle.current = null;
      setRunning(false); setProgress(null);
      if (o.status === "failed") setError(o.error ?? "The evaluation failed.");
      if (o.status === "cancelled") {
        setNotice(`Cancelled. ${o.results.length === 0 ? "No spec had finished." : `The ${o.results.length === 1 ? "spec" : `${o.results.length} specs`} finished so far ${o.results.length === 1 ? "is" : "are"} kept${o.runId ? " in this browser's store" : ""}.`}`);
      }
      if (o.runId) onRecorded?.();
    });
  };

  const fp32 = results.find((r) => r.canonical === "FP32");
  const order = (() => { try { return orderSpecs(specs); } catch { return []; } })();

  return (
    <Card title="Evaluate on your text">
      <p className="-mt-2 mb-4 text-sm text-slate-600">
        Perplexity, KL divergence from FP32 and top-1 agreement of each spec on <span className="font-medium text-slate-900">{modelName}</span>,
        computed in this browser (a Web Worker on WebAssembly kernels). Nothing is uploaded.
      </p>
      <div className="grid gap-6 lg:grid-cols-[3fr_2fr]">
        <div>
          <div className="mb-1 flex items-center justify-between gap-3">
            <label htmlFor={ids.text} className="text-xs font-medium text-slate-600">evaluation text</label>
            <label className="cursor-pointer rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium hover:bg-slate-100">
              pick a text file
              <input type="file" accept=".txt,.md,text/plain" className="sr-only" data-testid="eval-text-file" disabled={running}
                onChange={(e) => { void readTextFile(e.target.files?.[0]); e.target.value = ""; }} />
            </label>
          </div>
          <textarea id={ids.text} data-testid="eval-text" value={text} disabled={running} spellCheck={false}
            onChange={(e) => { setText(e.target.value); setPrepared(null); }}
            onDragOver={(e) => { e.preventDefault(); setDragOver(true); }} onDragLeave={() => setDragOver(false)} onDrop={onDrop}
            placeholder={`Paste text here, or drop a .txt file. Separate documents with a line holding only ${SEPARATOR}; each document is scored from its own start.`}
            className={`h-44 w-full resize-y rounded-lg border p-3 font-mono text-xs leading-relaxed text-slate-800 outline-none focus:border-amber-500 disabled:bg-slate-50 ${dragOver ? "border-amber-500 bg-amber-50" : "border-slate-300"}`} />
          <p className="mt-1 text-xs tabular-nums text-slate-500" data-testid="eval-text-count">
            {documents === 0 ? "no text yet" : `${fmtInt(documents)} document${documents === 1 ? "" : "s"}`}
            {prepared && prepared.documents === documents ? ` · ${fmtInt(prepared.tokens)} tokens scored` : text.trim() ? " · tokens counted when the run starts" : ""}
            {text.length > 0 && ` · ${fmtInt(text.length)} characters`}
          </p>
        </div>

        <div className="space-y-5">
          <div>
            <div className="mb-1 text-xs font-medium text-slate-600">tokenizer</div>
            {ownTokenizer ? (
              <p className="text-sm text-slate-700" data-testid="eval-tokenizer">The model&apos;s own (its GGUF vocabulary).</p>
            ) : (
              <div className="space-y-1.5" data-testid="eval-tokenizer">
                <label className="inline-flex cursor-pointer items-center rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium hover:bg-slate-100">
                  {tokFile || folderTokenizer ? "pick another tokenizer" : "pick tokenizer.json or a llama2.c .bin"}
                  <input id={ids.tok} type="file" accept=".json,.bin,.model" className="sr-only" data-testid="eval-tokenizer-input" disabled={running}
                    onChange={(e) => { setTokFile(e.target.files?.[0] ?? null); e.target.value = ""; }} />
                </label>
                {tokenizer === "beside" ? (
                  <p className="text-sm text-slate-700">
                    The model&apos;s tokenizer.json, fetched from {model !== null && typeof model === "string" && model.startsWith("hf:") ? "its Hub repo" : "beside the model"} when the run starts
                    (or pick a file).
                  </p>
                ) : tokenizer && tokenizer !== "embedded" ? (
                  <p className="text-sm text-slate-700">Using <span className="font-mono">{tokenizer.name}</span>{!tokFile && folderTokenizer ? " from the opened folder" : ""}.</p>
                ) : (
                  <p className="rounded-md bg-amber-50 px-2 py-1.5 text-xs text-amber-900" data-testid="eval-tokenizer-missing">
                    A {format} model holds no tokenizer. Pick its tokenizer.json (Hugging Face) or its llama2.c tokenizer .bin
                    (for stories260K, tok512.bin).
                  </p>
                )}
              </div>
            )}
          </div>

          <div>
            <div className="mb-1.5 text-xs font-medium text-slate-600">specs</div>
            <div className="flex flex-wrap gap-1.5" role="group" aria-label="Specs to evaluate" data-testid="eval-specs">
              {chips.map((s) => {
                const on = selected.includes(s);
                return (
                  <button key={s} type="button" role="checkbox" aria-checked={on} data-testid="eval-spec-chip" data-spec={s} disabled={running}
                    onClick={() => toggle(s)}
                    className={`h-7 rounded-full border px-3 font-mono text-xs transition-colors disabled:opacity-60 ${on ? "border-slate-800 bg-slate-800 text-white" : "border-slate-300 bg-white text-slate-700 hover:border-slate-500"}`}>
                    {s}
                  </button>
                );
              })}
            </div>
            <div className="mt-2 flex items-start gap-2">
              <div className="flex-1">
                <label htmlFor={ids.custom} className="sr-only">custom spec</label>
                <input id={ids.custom} type="text" value={typed} onChange={(e) => setTyped(e.target.value)} onKeyDown={onCustomKey} disabled={running}
                  placeholder="custom spec, e.g. W4-g64-awq" data-testid="eval-custom-spec" spellCheck={false} autoComplete="off"
                  aria-invalid={check !== null && "error" in check}
                  className={`h-8 w-full rounded-md border px-2 font-mono text-xs outline-none ${check && "error" in check ? "border-red-400 focus:border-red-500" : "border-slate-300 focus:border-amber-500"}`} />
                {check && "error" in check && <p className="mt-1 text-xs text-red-700" data-testid="eval-spec-error" role="alert">{check.error}</p>}
                {check && "canonical" in check && <p className="mt-1 text-xs text-slate-500" data-testid="eval-spec-ok">reads as <span className="font-mono">{check.canonical}</span></p>}
              </div>
              <Button onClick={addCustom} disabled={running || !check || "error" in check} data-testid="eval-add-spec" className="h-8 py-0 text-xs">Add</Button>
            </div>
          </div>

          {needsCalib && (
            <div>
              <label htmlFor={ids.calib} className="mb-1 block text-xs font-medium text-slate-600">calibration text (AWQ, GPTQ, SmoothQuant)</label>
              <textarea id={ids.calib} value={calibText} onChange={(e) => setCalibText(e.target.value)} disabled={running} spellCheck={false}
                placeholder="Optional. Empty: calibrate on the evaluation text (optimistic)." data-testid="eval-calib-text"
                className="h-20 w-full resize-y rounded-lg border border-slate-300 p-2 font-mono text-xs outline-none focus:border-amber-500" />
            </div>
          )}
        </div>
      </div>

      <div className="mt-5 flex flex-wrap items-center gap-3 border-t border-slate-100 pt-4">
        {running ? (
          <Button key="cancel" onClick={() => handle.current?.cancel()} data-testid="eval-cancel">Cancel</Button>
        ) : (
          <Button key="run" variant="primary" onClick={run} disabled={missing !== null} data-testid="eval-run">
            Run {specs.length === 1 ? "1 spec" : `${specs.length} specs`}
          </Button>
        )}
        {!running && missing && <span className="text-xs text-slate-500">{missing}</span>}
        {!running && !missing && <span className="text-xs text-slate-500">in this order: <span className="font-mono">{order.map((s) => s.name).join(", ")}</span></span>}
        {running && !progress && <span className="text-sm text-slate-600" data-testid="eval-starting">Opening the model…</span>}
      </div>

      {running && progress && (
        <div className="mt-3 space-y-1.5" data-testid="eval-progress">
          <ProgressBar value={progress.fraction} label="Evaluation progress" />
          <p className="flex flex-wrap gap-x-3 text-xs tabular-nums text-slate-600" data-testid="eval-progress-text">
            <span>spec {progress.specIndex + 1}/{progress.specs} <span className="font-mono font-medium text-slate-900">{progress.spec}</span></span>
            <span>{PHASE_LABEL[progress.phase]}</span>
            {progress.phase === "evaluate" && <span>{fmtInt(progress.tokens)} / {fmtInt(progress.totalTokens)} tokens</span>}
            <span>{fmtDuration(progress.elapsedMs)} elapsed</span>
            {progress.etaMs !== null && <span>about {fmtDuration(progress.etaMs)} left</span>}
          </p>
        </div>
      )}
      {error && <p className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" role="alert" data-testid="eval-error">{error}</p>}
      {notice && <p className="mt-3 rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700" data-testid="eval-notice">{notice}</p>}

      {(results.length > 0 || (running && runOrder.length > 0)) && (
        <div className="mt-5 overflow-x-auto">
          <table className="w-full text-sm tabular-nums" data-testid="eval-results">
            <thead>
              <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
                <th className="py-2 pr-4 font-medium">spec</th>
                <th className="py-2 pr-4 text-right font-medium">perplexity</th>
                <th className="py-2 pr-4 text-right font-medium">mean NLL</th>
                <th className="py-2 pr-4 text-right font-medium" title="KL(p_FP32 ‖ p_spec) per token, in nats">KL vs FP32</th>
                <th className="py-2 pr-4 text-right font-medium">top-1 agreement</th>
                <th className="py-2 text-right font-medium">tokens</th>
              </tr>
            </thead>
            <tbody>
              {results.map((r) => {
                const dPpl = fp32 && fp32 !== r && r.ppl !== null && fp32.ppl ? r.ppl / fp32.ppl - 1 : null;
                return (
                  <tr key={r.spec} className="border-b border-slate-100 last:border-0" data-testid="eval-result-row" data-spec={r.spec}>
                    <td className="py-2 pr-4 font-mono font-medium text-slate-900">{r.spec}</td>
                    <td className="py-2 pr-4 text-right" data-metric="ppl" data-value={r.ppl ?? ""}>
                      {fmtNum(r.ppl, 5)}
                      {dPpl !== null && <span className={`ml-1.5 text-xs ${dPpl > 0.05 ? "text-red-600" : dPpl > 0.01 ? "text-amber-600" : "text-slate-400"}`}>{dPpl >= 0 ? "+" : "−"}{fmtPct(Math.abs(dPpl), 2)}</span>}
                    </td>
                    <td className="py-2 pr-4 text-right" data-metric="mean_nll" data-value={r.mean_nll ?? ""}>{fmtNum(r.mean_nll, 6)}</td>
                    <td className="py-2 pr-4 text-right" data-metric="kl" data-value={r.kl ?? ""}>{r.canonical === "FP32" ? "0 (reference)" : fmtNum(r.kl, 4)}</td>
                    <td className="py-2 pr-4 text-right" data-metric="top1_agreement" data-value={r.top1_agreement ?? ""}>{fmtPct(r.top1_agreement, 2)}</td>
                    <td className="py-2 text-right" data-metric="tokens" data-value={r.tokens}>{fmtInt(r.tokens)}</td>
                  </tr>
                );
              })}
              {running && runOrder.filter((n) => !results.some((r) => r.spec === n)).map((n, i) => (
                <tr key={`pending-${n}`} className="border-b border-slate-100 text-slate-400 last:border-0" data-testid="eval-pending-row" data-spec={n}>
                  <td className="py-2 pr-4 font-mono">{n}</td>
                  <td colSpan={5} className="py-2 text-right text-xs">
                    {i === 0 && progress && progress.spec && runOrder[progress.specIndex] === n ? `${PHASE_LABEL[progress.phase]}…` : i === 0 ? "next" : "queued"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="mt-2 text-xs text-slate-500">
            Mean NLL in nats per predicted token; perplexity = exp(mean NLL). KL and top-1 agreement compare each spec&apos;s next-token
            distribution with FP32 at every position (same protocol as <span className="font-mono">quantlens eval</span>).
          </p>
        </div>
      )}
    </Card>
  );
}
