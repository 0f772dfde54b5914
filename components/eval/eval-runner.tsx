"use client";
/**
 * Evaluation of quantization specs on the user's own text, in this browser: perplexity, mean NLL,
 * KL divergence from FP32 and top-1 agreement per spec (the CONTRACT metrics of `quantlens eval`).
 * The model is the one the dashboard opened (its File, folder files or `hf:` id stay in the page);
 * the work runs in a Web Worker (lib/web/eval-client.ts, through useEvalRun) and each
 * finished spec is recorded in the dashboard's store. This shell holds the form's state and lays
 * out its parts: the texts, the tokenizer, the spec picker, the run bar, the progress and the
 * results table. Every name and message is rendered as text.
 */
import { useEffect, useMemo, useState } from "react";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { countDocuments, DEFAULT_SPECS, orderSpecs, PRESET_SPECS } from "@/lib/web/worker-protocol.ts";
import type { ModelSpec } from "@/lib/formats/open.ts";
import type { Store } from "@/lib/store/store.ts";
import { ContextInput } from "./context-input.tsx";
import { EvalProgress } from "./eval-progress.tsx";
import { EvalResultsTable } from "./eval-results-table.tsx";
import { CalibrationTextInput, EvalTextInput } from "./eval-text-input.tsx";
import { NoWeightsNote } from "./no-weights-note.tsx";
import { SpecPicker } from "./spec-picker.tsx";
import { folderTokenizerFiles, TokenizerPicker, tokenizerFor } from "./tokenizer-picker.tsx";
import { useEvalRun } from "./use-eval-run.ts";

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
  /** a ready evaluation text offered with one click (the demo's) */
  sampleText?: { label: string; load: () => Promise<string> };
}

const METHOD_NEEDS_CALIB = /-(awq|gptq|smoothquant)\b/i;

export function EvalRunner({ model, modelName, format, endpoint, modelLabel, getStore, onRecorded, sampleText }: EvalRunnerProps) {
  const [text, setText] = useState("");
  const [calibText, setCalibText] = useState("");
  const [context, setContext] = useState("");
  const [tokFile, setTokFile] = useState<File | null>(null);
  const [selected, setSelected] = useState<string[]>([...DEFAULT_SPECS]);
  const [custom, setCustom] = useState<string[]>([]);
  const run = useEvalRun(model, onRecorded);
  const { running, progress } = run;

  // a new model: a tokenizer picked for the old one does not apply
  useEffect(() => setTokFile(null), [model]);

  const folder = useMemo(() => folderTokenizerFiles(model), [model]);
  const tokenizer = tokenizerFor(model, format, tokFile, folder);
  const documents = useMemo(() => countDocuments(text), [text]);
  const chips = [...PRESET_SPECS, ...custom];
  const specs = chips.filter((s) => selected.includes(s));
  const needsCalib = specs.some((s) => METHOD_NEEDS_CALIB.test(s));

  if (model === null) return <NoWeightsNote modelName={modelName} />;

  const select = (s: string) => setSelected((cur) => (cur.includes(s) ? cur : [...cur, s]));
  const toggle = (s: string) => setSelected((cur) => (cur.includes(s) ? cur.filter((x) => x !== s) : [...cur, s]));
  const onText = (t: string) => { setText(t); run.clearPrepared(); };

  const missing = !text.trim() || documents === 0 ? "Paste or pick the text to evaluate on."
    : !tokenizer ? "Pick the tokenizer first."
    : specs.length === 0 ? "Pick at least one spec."
    : null;

  const start = () => {
    if (missing || running || !tokenizer) return;
    run.start({
      model, endpoint, tokenizer, text, calibText: needsCalib && calibText.trim() ? calibText : undefined, specs, modelLabel,
      ...(context.trim() ? { context: Number(context) } : {}),
      store: getStore ? getStore().catch(() => null) : null,
    });
  };

  const order = (() => { try { return orderSpecs(specs); } catch { return []; } })();

  return (
    <Card title="Evaluate on your text">
      <p className="-mt-2 mb-4 text-sm text-slate-600">
        Perplexity, KL divergence from FP32 and top-1 agreement of each spec on <span className="font-medium text-slate-900">{modelName}</span>,
        computed in this browser (a Web Worker on WebAssembly kernels). Nothing is uploaded.
      </p>
      <div className="grid gap-6 lg:grid-cols-[3fr_2fr]">
        <EvalTextInput text={text} onText={onText} disabled={running} documents={documents} prepared={run.prepared} sample={sampleText} />
        <div className="space-y-5">
          <TokenizerPicker model={model} format={format} tokenizer={tokenizer} picked={tokFile} folderTokenizer={folder.tokenizer}
            disabled={running} onPick={setTokFile} />
          <SpecPicker chips={chips} selected={selected} disabled={running} onToggle={toggle} onSelect={select}
            onCustom={(c) => { setCustom((cur) => [...cur, c]); setSelected((cur) => [...cur, c]); }} />
          <ContextInput value={context} onValue={setContext} disabled={running} />
          {needsCalib && <CalibrationTextInput text={calibText} onText={setCalibText} disabled={running} />}
        </div>
      </div>

      <div className="mt-5 flex flex-wrap items-center gap-3 border-t border-slate-100 pt-4">
        {running ? (
          <Button key="cancel" onClick={run.cancel} data-testid="eval-cancel">Cancel</Button>
        ) : (
          <Button key="run" variant="primary" onClick={start} disabled={missing !== null} data-testid="eval-run">
            Run {specs.length === 1 ? "1 spec" : `${specs.length} specs`}
          </Button>
        )}
        {!running && missing && <span className="text-xs text-slate-500">{missing}</span>}
        {!running && !missing && <span className="text-xs text-slate-500">in this order: <span className="font-mono">{order.map((s) => s.name).join(", ")}</span></span>}
        {running && !progress && <span className="text-sm text-slate-600" data-testid="eval-starting">Opening the model…</span>}
        {!running && run.saved && (
          <span className="text-xs text-slate-500" role="status" data-testid="eval-saved" data-state={run.saved}>
            {run.saved === "saving" ? "Saving the results to Runs…" : "Saved in Runs."}
          </span>
        )}
      </div>

      {running && progress && <EvalProgress progress={progress} />}
      {run.error && <p className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" role="alert" data-testid="eval-error">{run.error}</p>}
      {run.notice && <p className="mt-3 rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700" data-testid="eval-notice">{run.notice}</p>}
      <EvalResultsTable results={run.results} running={running} runOrder={run.runOrder} progress={progress} />
    </Card>
  );
}
