"use client";
/**
 * The texts of an evaluation: the evaluation text (typed, pasted, picked or dropped as a file,
 * with its document and token counts) and the optional calibration text of AWQ/GPTQ/SmoothQuant.
 */
import { useId, useState, type DragEvent } from "react";
import { fmtInt } from "@/lib/viz/format.ts";
import type { Prepared } from "./use-eval-run.ts";

const SEPARATOR = "<|endoftext|>";

export interface EvalTextInputProps {
  text: string;
  /** the text was edited or a file was read */
  onText: (text: string) => void;
  disabled: boolean;
  /** documents in `text` (countDocuments) */
  documents: number;
  /** what the last run's tokenizer made of the text, when it is this text */
  prepared: Prepared | null;
  /** a ready text to fill in with one click (the demo's) */
  sample?: { label: string; load: () => Promise<string> };
}

/** The evaluation text box, a file picker, drag and drop, and a line of counts. */
export function EvalTextInput({ text, onText, disabled, documents, prepared, sample }: EvalTextInputProps) {
  const id = useId();
  const [dragOver, setDragOver] = useState(false);
  const readTextFile = async (f: File | undefined) => {
    if (!f) return;
    onText(await f.text());
  };
  const onDrop = (e: DragEvent<HTMLTextAreaElement>) => {
    const f = e.dataTransfer.files[0];
    setDragOver(false);
    if (f) { e.preventDefault(); void readTextFile(f); }
  };
  return (
    <div>
      <div className="mb-1 flex items-center justify-between gap-3">
        <label htmlFor={id} className="text-xs font-medium text-slate-600">evaluation text</label>
        <span className="flex-1" />
        {sample && (
          <button type="button" disabled={disabled} data-testid="eval-sample-text" title={sample.label}
            onClick={() => void sample.load().then(onText, (e: Error) => onText(`(could not load ${sample.label}: ${e.message})`))}
            className="rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium hover:bg-slate-100 disabled:text-slate-400">
            use the demo text
          </button>
        )}
        <label className="cursor-pointer rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium hover:bg-slate-100">
          pick a text file
          <input type="file" accept=".txt,.md,text/plain" className="sr-only" data-testid="eval-text-file" disabled={disabled}
            onChange={(e) => { void readTextFile(e.target.files?.[0]); e.target.value = ""; }} />
        </label>
      </div>
      <textarea id={id} data-testid="eval-text" value={text} disabled={disabled} spellCheck={false}
        onChange={(e) => onText(e.target.value)}
        onDragOver={(e) => { e.preventDefault(); setDragOver(true); }} onDragLeave={() => setDragOver(false)} onDrop={onDrop}
        placeholder={`Paste text here, or drop a .txt file. Separate documents with a line holding only ${SEPARATOR}; each document is scored from its own start.`}
        className={`h-44 w-full resize-y rounded-lg border p-3 font-mono text-xs leading-relaxed text-slate-800 outline-none focus:border-amber-500 disabled:bg-slate-50 ${dragOver ? "border-amber-500 bg-amber-50" : "border-slate-300"}`} />
      <p className="mt-1 text-xs tabular-nums text-slate-500" data-testid="eval-text-count">
        {documents === 0 ? "no text yet" : `${fmtInt(documents)} document${documents === 1 ? "" : "s"}`}
        {prepared && prepared.documents === documents ? ` · ${fmtInt(prepared.tokens)} tokens scored` : text.trim() ? " · tokens counted when the run starts" : ""}
        {text.length > 0 && ` · ${fmtInt(text.length)} characters`}
      </p>
    </div>
  );
}

/** The calibration text box (shown when a spec's method calibrates). */
export function CalibrationTextInput({ text, onText, disabled }: { text: string; onText: (text: string) => void; disabled: boolean }) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-slate-600">calibration text (AWQ, GPTQ, SmoothQuant)</label>
      <textarea id={id} value={text} onChange={(e) => onText(e.target.value)} disabled={disabled} spellCheck={false}
        placeholder="Optional. Empty: calibrate on the evaluation text (optimistic)." data-testid="eval-calib-text"
        className="h-20 w-full resize-y rounded-lg border border-slate-300 p-2 font-mono text-xs outline-none focus:border-amber-500" />
    </div>
  );
}
