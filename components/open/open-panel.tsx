"use client";
/**
 * Where a model is opened: drop files or a folder, pick one file / several files / a folder,
 * type a Hugging Face id or URL, or go back to the bundled demo. While an analysis runs it
 * shows tensors done, bytes read and time left, and a Cancel button; errors appear in plain
 * words next to the inputs.
 */
import { useEffect, useId, useRef, useState, type DragEvent, type FormEvent } from "react";
import { Button } from "@/components/ui/button.tsx";
import { fmtBytes, fmtDuration } from "@/lib/viz/format.ts";
import { ProgressBar } from "@/components/ui/progress.tsx";
import type { Progress } from "@/lib/web/session.ts";
import { droppedFiles } from "./dropped-files.ts";

export interface OpenPanelProps {
  busy: boolean;
  progress: Progress | null;
  error: string | null;
  notice: string | null;
  hubEndpoint: string;
  onFiles: (files: File[]) => void;
  onTyped: (text: string) => void;
  onDemo: () => void;
  onCancel: () => void;
  onHubEndpoint: (endpoint: string) => void;
}

export function OpenPanel(p: OpenPanelProps) {
  const [text, setText] = useState("");
  const [over, setOver] = useState(false);
  const hubId = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    p.onTyped(text);
  };
  const drop = async (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (!p.busy) p.onFiles(await droppedFiles(e.dataTransfer));
  };
  const picked = (list: FileList | null) => {
    if (list && list.length) p.onFiles([...list]);
  };
  // a pick made before the page hydrated fired its change event with no handler attached: the
  // files are still on the input, so open them now (else the page would stay on the demo, silently)
  const fileRef = useRef<HTMLInputElement>(null), folderRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    for (const el of [fileRef.current, folderRef.current]) {
      if (el?.files?.length) { picked(el.files); el.value = ""; return; }
    }
    // once, on mount
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <section aria-label="Open a model" data-testid="open-panel"
      onDragOver={(e) => { e.preventDefault(); setOver(true); }} onDragLeave={() => setOver(false)} onDrop={drop}
      className={`rounded-xl border-2 border-dashed p-4 transition-colors ${over ? "border-amber-500 bg-amber-50" : "border-slate-300 bg-white"}`}>
      <div className="flex flex-wrap items-center gap-3">
        <p className="text-sm text-slate-700">Drop a model file, a model folder or a result bundle here, or</p>
        <label className="cursor-pointer rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-100">
          pick files
          <input ref={fileRef} type="file" multiple data-testid="file-input" className="sr-only" disabled={p.busy}
            accept=".safetensors,.gguf,.bin,.onnx,.json,.data,.qlbundle" onChange={(e) => { picked(e.target.files); e.target.value = ""; }} />
        </label>
        <label className="cursor-pointer rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-100">
          pick a folder
          <input ref={folderRef} type="file" data-testid="folder-input" className="sr-only" disabled={p.busy}
            {...{ webkitdirectory: "", directory: "" }} onChange={(e) => { picked(e.target.files); e.target.value = ""; }} />
        </label>
        <Button onClick={p.onDemo} disabled={p.busy} data-testid="open-demo">bundled demo</Button>
      </div>
      <form onSubmit={submit} className="mt-3 flex flex-wrap items-center gap-2">
        <input value={text} onChange={(e) => setText(e.target.value)} disabled={p.busy} data-testid="hub-input"
          aria-label="Hugging Face id or URL" placeholder="hf:org/name, org/name or https://…"
          className="min-w-72 flex-1 rounded-md border border-slate-300 px-3 py-1.5 font-mono text-sm" />
        <Button type="submit" variant="primary" disabled={p.busy} data-testid="hub-open">Open</Button>
        <details className="text-xs text-slate-500">
          <summary className="cursor-pointer">Hub endpoint</summary>
          <label htmlFor={hubId} className="sr-only">Hub endpoint</label>
          <input id={hubId} value={p.hubEndpoint} onChange={(e) => p.onHubEndpoint(e.target.value)} data-testid="hub-endpoint"
            placeholder="https://huggingface.co" className="mt-1 w-72 rounded-md border border-slate-300 px-2 py-1 font-mono" />
        </details>
      </form>
      {p.error && (
        <p role="alert" data-testid="open-error" className="mt-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {p.error}
        </p>
      )}
      {p.notice && !p.error && <p data-testid="open-notice" className="mt-3 text-sm text-slate-600">{p.notice}</p>}
      {p.busy && (
        <div className="mt-3 space-y-1" data-testid="open-progress">
          <div className="flex items-center gap-3">
            <ProgressBar label="analysis progress" value={!p.progress ? 0 : p.progress.phase === "whatif" ? p.progress.tensorsDone / Math.max(1, p.progress.tensorCount) : p.progress.bytesDone / Math.max(1, p.progress.bytesTotal)} />
            <Button onClick={p.onCancel} data-testid="cancel">Cancel</Button>
          </div>
          <p className="text-xs tabular-nums text-slate-600" data-testid="progress-text">
            {p.progress
              ? `${p.progress.phase === "whatif"
                  ? `What-if errors: ${p.progress.tensorsDone} of ${p.progress.tensorCount} weights`
                  : `${p.progress.tensorsDone} of ${p.progress.tensorCount} tensors · ${fmtBytes(p.progress.bytesDone)} of ${fmtBytes(p.progress.bytesTotal)} read`} · ${
                  p.progress.etaMs === null ? "estimating time left" : `about ${fmtDuration(p.progress.etaMs)} left`}`
              : "Reading the model's header…"}
            {p.progress?.current ? <span className="ml-2 font-mono text-slate-400">{p.progress.current}</span> : null}
          </p>
        </div>
      )}
    </section>
  );
}
