/**
 * Messages between the dashboard and the evaluation Web Worker (eval-worker.ts), and their checks.
 * No DOM or Node imports: the worker, the page and the tests share it. The page posts one `start`
 * (and maybe a `cancel`); the worker answers `model` once the model is open, `prepared` once the
 * text is tokenized, `progress` (at most ~10 per second), one `spec` per finished spec, then
 * exactly one of `done`, `cancelled` or `error` (plain words).
 */
import { plainModelError } from "./plain-errors.ts";
import { FormatError } from "../formats/errors.ts";
import type { ModelConfig, ModelFormat, TensorInfo } from "../formats/types.ts";
import { parseSpec, SpecError } from "../quant/spec.ts";
import type { EvalResult } from "../eval/metrics.ts";
import { splitDocuments } from "../model/protocol.ts";
import type { SessionProgress } from "../eval/session.ts";

/** What the user opened: one file, a folder's files, or an `hf:` id / URL (with the Hub endpoint). */
export type EvalModelInput = Blob | File | File[] | string;

/**
 * The model's own vocabulary (GGUF); "beside": the model's own, else the tokenizer.json next to
 * the model (its folder's files, its Hub repo, its URL's directory); or a tokenizer.json /
 * llama2.c tokenizer file (+ tokenizer_config.json).
 */
export type EvalTokenizerInput = "embedded" | "beside" | { file: Blob; name: string; config?: Blob };

export interface StartMessage {
  type: "start";
  model: EvalModelInput;
  /** Hub endpoint for `hf:` ids (default the public Hub) */
  endpoint?: string;
  tokenizer: EvalTokenizerInput;
  /** evaluation text; documents separated by lines `<|endoftext|>` */
  text: string;
  /** calibration text for AWQ / GPTQ / SmoothQuant (default: the evaluation text) */
  calibText?: string;
  /** spec strings as the user wrote them; results are keyed by these */
  specs: string[];
  /** minimum milliseconds between progress messages (default PROGRESS_INTERVAL_MS) */
  progressIntervalMs?: number;
  /** window length S of the protocol (`--context`), at most the model's context (default: the model's) */
  context?: number;
}

export interface CancelMessage { type: "cancel" }

export type ToWorker = StartMessage | CancelMessage;

/** The opened model, enough to record it in the store (saveModel / saveTensors / modelIdOf). */
export interface ModelInfo { name: string; format: ModelFormat; config: ModelConfig; tensors: TensorInfo[]; modelId: string }

export type FromWorker =
  | { type: "model"; model: ModelInfo }
  | { type: "prepared"; documents: number; tokens: number; tokenizer: string }
  | { type: "progress"; progress: SessionProgress; elapsedMs: number }
  | { type: "spec"; spec: string; canonical: string; index: number; result: EvalResult; elapsedMs: number }
  | { type: "done"; elapsedMs: number }
  | { type: "cancelled"; elapsedMs: number }
  | { type: "error"; message: string; elapsedMs: number };

/** progress messages at most this often (~10 per second) */
export const PROGRESS_INTERVAL_MS = 100;

/** Specs offered as chips, in the order results are listed (FP32 first). */
export const PRESET_SPECS = ["FP32", "W8", "W4", "W3", "W8A8", "W4A8", "W4A4", "KV8", "KV4"] as const;
/** Preselected: the reference and the weight-only ladder most people ask about first. */
export const DEFAULT_SPECS = ["FP32", "W8", "W4", "W8A8"] as const;

/** Thrown by the checks below; the message is shown to the user as is. */
export class EvalInputError extends Error {
  override name = "EvalInputError";
}

/**
 * The specs to run, as written, in run order: FP32 first (the reference every other spec is
 * compared with), then the others in the given order; duplicates (same canonical spec) dropped.
 * Throws SpecError for a malformed spec, EvalInputError for an empty list.
 */
export function orderSpecs(specs: readonly string[]): Array<{ name: string; canonical: string }> {
  const seen = new Set<string>();
  const out: Array<{ name: string; canonical: string }> = [];
  for (const raw of specs) {
    const name = raw.trim();
    if (!name) continue;
    const canonical = parseSpec(name).text;
    if (seen.has(canonical)) continue;
    seen.add(canonical);
    out.push({ name, canonical });
  }
  if (out.length === 0) throw new EvalInputError("Pick at least one spec to evaluate.");
  return [...out.filter((s) => s.canonical === "FP32"), ...out.filter((s) => s.canonical !== "FP32")];
}

/** Documents of an evaluation text (CONTRACT protocol), for counting before tokenization. */
export function countDocuments(text: string): number {
  return splitDocuments(text).length;
}

const isBlob = (x: unknown): x is Blob => typeof Blob !== "undefined" && x instanceof Blob;
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null;

/** Checks a start message (the page's input, or anything posted to the worker); throws EvalInputError / SpecError. */
export function validateStart(msg: unknown): StartMessage {
  if (!isObject(msg) || msg.type !== "start") throw new EvalInputError("not a start message");
  const { model, tokenizer, text, calibText, specs, endpoint, progressIntervalMs, context } = msg;
  if (typeof model === "string") {
    if (!/^hf:\S+$/.test(model.trim()) && !/^https?:\/\/\S+$/i.test(model.trim())) {
      throw new EvalInputError(`"${model.slice(0, 80)}" is neither a Hugging Face id (hf:org/name) nor an http(s) URL.`);
    }
  } else if (Array.isArray(model)) {
    if (model.length === 0 || !model.every(isBlob)) throw new EvalInputError("The model's files are missing: open the model again.");
  } else if (!isBlob(model)) {
    throw new EvalInputError("No model to evaluate: open a model file, a folder or a Hugging Face id first.");
  }
  if (endpoint !== undefined && (typeof endpoint !== "string" || !/^https?:\/\//i.test(endpoint))) {
    throw new EvalInputError(`The Hub endpoint must be an http(s) URL, got "${String(endpoint).slice(0, 80)}".`);
  }
  if (tokenizer !== "embedded" && tokenizer !== "beside") {
    if (!isObject(tokenizer) || !isBlob(tokenizer.file) || typeof tokenizer.name !== "string") {
      throw new EvalInputError("Pick a tokenizer file (tokenizer.json or a llama2.c tokenizer .bin).");
    }
    if (tokenizer.config !== undefined && !isBlob(tokenizer.config)) throw new EvalInputError("tokenizer_config.json must be a file.");
  }
  if (typeof text !== "string" || countDocuments(text) === 0) {
    throw new EvalInputError("The evaluation text is empty: paste some text or pick a text file.");
  }
  if (calibText !== undefined && (typeof calibText !== "string" || countDocuments(calibText) === 0)) {
    throw new EvalInputError("The calibration text is empty.");
  }
  if (!Array.isArray(specs) || !specs.every((s) => typeof s === "string")) throw new EvalInputError("specs must be a list of spec strings");
  orderSpecs(specs); // throws SpecError / EvalInputError
  if (progressIntervalMs !== undefined && !(typeof progressIntervalMs === "number" && progressIntervalMs >= 0)) {
    throw new EvalInputError("progressIntervalMs must be a number >= 0");
  }
  if (context !== undefined && !(typeof context === "number" && Number.isSafeInteger(context) && context >= 1)) {
    throw new EvalInputError("The context length must be a positive whole number of tokens.");
  }
  return msg as unknown as StartMessage;
}

const TYPES = new Set<FromWorker["type"]>(["model", "prepared", "progress", "spec", "done", "cancelled", "error"]);

/** A worker message if `data` is one (shape of its discriminating fields), else null. */
export function parseFromWorker(data: unknown): FromWorker | null {
  if (!isObject(data) || typeof data.type !== "string" || !TYPES.has(data.type as FromWorker["type"])) return null;
  switch (data.type) {
    case "model": return isObject(data.model) && typeof data.model.modelId === "string" && Array.isArray(data.model.tensors) ? (data as FromWorker) : null;
    case "prepared": return typeof data.documents === "number" && typeof data.tokens === "number" ? (data as FromWorker) : null;
    case "progress": return isObject(data.progress) && typeof data.progress.specIndex === "number" ? (data as FromWorker) : null;
    case "spec": return typeof data.spec === "string" && typeof data.index === "number" && isObject(data.result) ? (data as FromWorker) : null;
    case "error": return typeof data.message === "string" ? (data as FromWorker) : null;
    default: return data as FromWorker;
  }
}

/** True for what AbortController.abort() throws. */
export function isAbortError(e: unknown): boolean {
  return (e as { name?: string } | null)?.name === "AbortError";
}

/** A message a person can act on, for anything opening a model, reading a tokenizer or evaluating throws. */
export function describeEvalError(e: unknown): string {
  if (isAbortError(e)) return "Cancelled.";
  const msg = e instanceof Error ? e.message : String(e);
  if (e instanceof FormatError || (e instanceof TypeError && /fetch/i.test(msg))) return plainModelError(e);
  if (e instanceof SpecError || e instanceof EvalInputError) return msg;
  if (/out of memory|memory access out of bounds|Array buffer allocation failed|WebAssembly\.Memory/i.test(msg)) {
    return `The model does not fit in this browser's memory (${msg}). Try a smaller model.`;
  }
  return msg.replace(/^eval: /, "");
}

/** Overall progress of a run, for the bar and the time left. */
export interface RunProgress extends SessionProgress {
  /** 0..1 over every spec, FP32 counted once, a quantized spec twice (it runs beside the reference) */
  fraction: number;
  elapsedMs: number;
  /** estimated from the rate so far; null until enough is done to tell */
  etaMs: number | null;
}

/** Cost of evaluating spec `canonical` relative to one FP32 pass over the text. */
const specCost = (canonical: string) => (canonical === "FP32" || canonical === "FP16" ? 1 : 2);

/** Fraction of the whole run done at `p`, given the run order's canonical specs. */
export function runFraction(p: Pick<SessionProgress, "specIndex" | "tokens" | "totalTokens" | "phase">, canonical: readonly string[]): number {
  const costs = canonical.map(specCost);
  const total = costs.reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  const before = costs.slice(0, Math.max(0, p.specIndex)).reduce((a, b) => a + b, 0);
  const inSpec = p.phase === "evaluate" && p.totalTokens > 0 ? Math.min(1, p.tokens / p.totalTokens) : 0;
  return Math.min(1, (before + inSpec * (costs[p.specIndex] ?? 0)) / total);
}

/** RunProgress of a session progress message; the time left once 2% is done. */
export function runProgress(p: SessionProgress, canonical: readonly string[], elapsedMs: number): RunProgress {
  const fraction = runFraction(p, canonical);
  return { ...p, fraction, elapsedMs, etaMs: fraction >= 0.02 ? (elapsedMs * (1 - fraction)) / fraction : null };
}
