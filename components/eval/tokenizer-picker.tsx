"use client";
/**
 * The tokenizer of an evaluation: the GGUF's own vocabulary, a file the user picks, the
 * tokenizer.json of an opened folder, or the one beside an `hf:` id or URL (fetched by the worker).
 */
import type { EvalTokenizerInput } from "@/lib/web/worker-protocol.ts";
import type { ModelSpec } from "@/lib/formats/open.ts";

const TOKENIZER_NAMES = ["tokenizer.json"];

/** The tokenizer file of an opened folder, and its tokenizer_config.json. */
export function folderTokenizerFiles(model: ModelSpec | null): { tokenizer: File | null; config: File | null } {
  if (!Array.isArray(model)) return { tokenizer: null, config: null };
  return {
    tokenizer: model.find((f) => TOKENIZER_NAMES.includes(f.name)) ?? null,
    config: model.find((f) => f.name === "tokenizer_config.json") ?? null,
  };
}

/** Which tokenizer a run uses, in this order: the model's own (GGUF), the picked file, the folder's, the one beside a URL; null: none yet. */
export function tokenizerFor(model: ModelSpec | null, format: string, picked: File | null, folder: { tokenizer: File | null; config: File | null }): EvalTokenizerInput | null {
  if (format === "gguf") return "embedded";
  if (picked) return { file: picked, name: picked.name, config: folder.config ?? undefined };
  if (folder.tokenizer) return { file: folder.tokenizer, name: folder.tokenizer.name, config: folder.config ?? undefined };
  return typeof model === "string" ? "beside" : null;
}

export interface TokenizerPickerProps {
  model: ModelSpec | null;
  format: string;
  tokenizer: EvalTokenizerInput | null;
  /** a file the user picked */
  picked: File | null;
  /** the opened folder's tokenizer.json */
  folderTokenizer: File | null;
  disabled: boolean;
  onPick: (file: File | null) => void;
}

/** What the run will tokenize with, and a file picker to choose another. */
export function TokenizerPicker({ model, format, tokenizer, picked, folderTokenizer, disabled, onPick }: TokenizerPickerProps) {
  return (
    <div>
      <div className="mb-1 text-xs font-medium text-slate-600">tokenizer</div>
      {tokenizer === "embedded" ? (
        <p className="text-sm text-slate-700" data-testid="eval-tokenizer">The model&apos;s own (its GGUF vocabulary).</p>
      ) : (
        <div className="space-y-1.5" data-testid="eval-tokenizer">
          <label className="inline-flex cursor-pointer items-center rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium hover:bg-slate-100">
            {picked || folderTokenizer ? "pick another tokenizer" : "pick tokenizer.json or a llama2.c .bin"}
            <input type="file" accept=".json,.bin,.model" className="sr-only" data-testid="eval-tokenizer-input" disabled={disabled}
              onChange={(e) => { onPick(e.target.files?.[0] ?? null); e.target.value = ""; }} />
          </label>
          {tokenizer === "beside" ? (
            <p className="text-sm text-slate-700">
              The model&apos;s tokenizer.json, fetched from {model !== null && typeof model === "string" && model.startsWith("hf:") ? "its Hub repo" : "beside the model"} when the run starts
              (or pick a file).
            </p>
          ) : tokenizer ? (
            <p className="text-sm text-slate-700">Using <span className="font-mono">{tokenizer.name}</span>{!picked && folderTokenizer ? " from the opened folder" : ""}.</p>
          ) : (
            <p className="rounded-md bg-amber-50 px-2 py-1.5 text-xs text-amber-900" data-testid="eval-tokenizer-missing">
              A {format} model holds no tokenizer. Pick its tokenizer.json (Hugging Face) or its llama2.c tokenizer .bin
              (for stories260K, tok512.bin).
            </p>
          )}
        </div>
      )}
    </div>
  );
}
