/**
 * One evaluation session over a Llama-family model: load the FP32 weights once, tokenize the text
 * with the CONTRACT protocol, calibrate when a spec's method needs it, then evaluate the specs
 * against the FP32 reference (window-major by default: one FP32 pass for all) and hand each
 * finished spec to `onSpec` (the CLI appends it to the store at once). Browser-safe: the runtime
 * passes its matmul factories.
 */
import type { TensorSource } from "../formats/types.ts";
import { calibrate, MAX_CALIBRATION_TOKENS, type Calibration } from "../model/calibrate.ts";
import { llamaConfig } from "../model/config.ts";
import type { LlamaLayer, LlamaModel } from "../model/forward.ts";
import type { Linear, LinearFactory } from "../model/linear.ts";
import { buildLayer, buildModel, disposeLayer, llamaEngine, releaseLayer, releaseLinearWeights } from "../model/llama.ts";
import { loadLlamaWeights, type LlamaWeights } from "../model/weights.ts";
import { quantizeModel, type PackedLinearFactory } from "../model/quantize.ts";
import type { QuantSpec } from "../quant/spec.ts";
import type { LogitsEngine } from "../model/engine.ts";
import { evaluate, evaluateAll, type EvalProgress, type WindowShard } from "./evaluate.ts";
import { sessionKernelBytes } from "./memory-plan.ts";
import type { EvalResult, EvalSums } from "./metrics.ts";
import { scoreChoices, type ChoiceItem, type ChoiceResult } from "./multiple-choice.ts";
import { textDocuments, type Documents } from "./documents.ts";
import { splitDocuments } from "../model/protocol.ts";
import type { Tokenizer } from "../tokenizers/types.ts";

export interface SessionProgress extends EvalProgress { spec: string; specIndex: number; specs: number; phase: "load" | "calibrate" | "quantize" | "evaluate" }

export interface EvalSessionOptions {
  source: TensorSource;
  tokenizer: Tokenizer;
  /** the evaluation text; or `documents`, a re-readable stream of documents (memory stays at one document) */
  text?: string;
  documents?: Documents;
  specs: QuantSpec[];
  /** calibration text (AWQ, GPTQ, SmoothQuant); defaults to `text` */
  calibText?: string;
  f32: LinearFactory;
  packed?: PackedLinearFactory;
  /** a FP32 engine to use instead of our Llama forward pass (e.g. onnxruntime-web), for weight-only specs too */
  reference?: LogitsEngine;
  signal?: AbortSignal;
  /** window length S of the protocol (default: the model's context length) */
  context?: number;
  onProgress?: (p: SessionProgress) => void;
  onSpec?: (spec: QuantSpec, result: EvalResult & Partial<ChoiceResult>) => Promise<void> | void;
  /** where a spec's method could not apply as asked (e.g. AWQ's o_proj scale under GQA), one line per kind of note */
  onNote?: (spec: QuantSpec, note: string) => void;
  /** activation and KV statistics of the calibration run, when one was needed */
  onCalibration?: (cal: Calibration) => Promise<void> | void;
  /** multiple-choice items scored by log-likelihood for every spec */
  tasks?: ChoiceItem[];
  /** "window-major" (default): one FP32 pass for all specs; "spec-major": FP32 re-run per spec, one spec in memory at a time */
  order?: "window-major" | "spec-major";
  /** bytes the kernel memory holds (all engines share it): without `order`, spec-major when window-major's engines would not fit */
  memoryLimit?: number;
  /**
   * a garbage collection (Node: lib/cli/gc.ts), run as the FP32 model takes the float32 weights over
   * layer by layer and after each window (its KV caches and activations go before the next window's)
   */
  collectGarbage?: () => void;
  /** score only this part's windows (lib/cli/eval-threads.ts runs one part per thread; onSpec then gets the part's numbers) */
  shard?: WindowShard;
  /** each scored window's sums for spec `spec` (an index into `specs`): a split run merges them in window order */
  onWindow?: (spec: number, window: number, sums: EvalSums) => void;
}

/** Token ids of every document of `text`, BOS first. */
export function tokenizeDocuments(tokenizer: Tokenizer, text: string): Int32Array[] {
  return splitDocuments(text).map((d) => tokenizer.encode(d, { bos: true }));
}

/** Each document's token ids (BOS first), one document at a time. */
export async function* tokenized(tokenizer: Tokenizer, docs: Documents): AsyncIterable<Int32Array> {
  for await (const d of docs()) yield tokenizer.encode(d, { bos: true });
}

/** Predicted tokens and documents of a document stream (one pass, nothing kept). */
export async function countTokens(tokenizer: Tokenizer, docs: Documents): Promise<{ tokens: number; documents: number }> {
  let tokens = 0, documents = 0;
  for await (const ids of tokenized(tokenizer, docs)) { tokens += Math.max(ids.length - 1, 0); documents++; }
  return { tokens, documents };
}

/**
 * Evaluates every spec; returns the results keyed by canonical spec text, in order.
 * Window-major (the default, issue 14): every spec's engine is built first and kept, then the
 * windows are walked once, each through the FP32 reference once and through every spec's engine,
 * zipped row by row (evaluateAll). Kept engines rather than a cached FP32 log-softmax: memory is the
 * FP32 weights plus each spec's packed codes (W4 ~ 1/7 of the f32 bytes, W8 ~ 1/4; KV-only specs
 * share the FP32 linears), bounded by the model, where a cache of FP32 log-probs grows with the text
 * (tokens x vocab floats: 38 GB for 300k tokens of a 32k vocabulary). Every spec finishes at the
 * last window, so `onSpec` runs for each spec in order at the end; what an interrupted run keeps is
 * its scored windows, handed to `onWindow` as each finishes (the CLI stores them: run_windows).
 * "spec-major": the FP32 reference re-run beside each spec in turn, each engine freed before the next is built (memory: FP32 + one spec; results identical;
 * each spec handed over as it finishes, which the browser's result table shows as it goes).
 */
export async function runEvalSession(o: EvalSessionOptions): Promise<Map<string, EvalResult>> {
  if (o.text === undefined && !o.documents) throw new RangeError("eval: no text to evaluate");
  const source = o.documents ?? textDocuments(o.text!);
  const totals = await countTokens(o.tokenizer, source);
  if (totals.documents === 0) throw new RangeError("eval: the text holds no document");
  const config = await llamaConfig(o.source);
  if (o.tokenizer.vocabSize > config.vocabSize) {
    throw new RangeError(`eval: tokenizer ${o.tokenizer.name} has ${o.tokenizer.vocabSize} tokens, the model ${config.vocabSize}`);
  }
  // one float32 lm_head (and MoE router) for every engine, by tensor name (never quantized nor folded), freed last
  const heads = new Map<string, Linear>();
  const head: LinearFactory = (name, w, rows, cols) => {
    let lin = heads.get(name);
    if (!lin) heads.set(name, (lin = o.f32(name, w, rows, cols)));
    const shared = lin, row = lin.row;
    return { rows, cols, forward: (x, M, out) => shared.forward(x, M, out), ...(row ? { row } : {}) };
  };
  const sharesFp = (spec: QuantSpec) => spec.float || (!spec.weight && !spec.act && spec.method === "rtn");
  // every spec on the FP32 linears: they are built as the weights stream in, layer by layer, so one
  // layer of float32 weights is held in JavaScript at a time beside the kernels' copy (issue 14)
  const streamed: LlamaLayer[] = [];
  const stream = !o.reference && o.specs.every(sharesFp);
  let weights: LlamaWeights;
  try {
    weights = await loadLlamaWeights(o.source, config, undefined, stream ? {
      // a tied lm_head built first: the embedding is then looked up in its copy and the JS one goes
      onEmbed: (embed, tied) => (tied && head("lm_head.weight", embed, config.vocabSize, config.dim).row ? new Float32Array(0) : undefined),
      onLayer: (l, L) => {
        streamed[l] = buildLayer(config, L, l, o.f32, head);
        releaseLayer(L);
        o.collectGarbage?.();
      },
    } : {});
  } catch (e) {
    streamed.forEach(disposeLayer);
    for (const lin of heads.values()) lin.dispose?.();
    throw e;
  }
  // the FP32 model on first use; with `release` its Linears take the float32 weights over (their JS copies are dropped)
  let fpModel: LlamaModel | null = null, fp: LogitsEngine | null = null;
  const fpModelOf = (release = false) => (fpModel ??= buildModel(config, weights, o.f32, head, { release: release || stream, collect: o.collectGarbage, layers: streamed }));
  const fpOf = () => (fp ??= o.reference ?? llamaEngine(fpModelOf(), { name: "FP32" }));
  let cal: Calibration | undefined;
  const results = new Map<string, EvalResult>();
  const order = o.order ?? (o.memoryLimit !== undefined && sessionKernelBytes(config, o.specs, "window-major") > o.memoryLimit ? "spec-major" : "window-major");
  const progress = (i: number, phase: SessionProgress["phase"], p: Partial<EvalProgress> = {}, spec = o.specs[i]!.text, specs = o.specs.length) =>
    o.onProgress?.({ tokens: 0, totalTokens: totals.tokens, documents: 0, totalDocuments: totals.documents, ...p, spec, specIndex: i, specs, phase });
  /** The engine of spec i: `fp` for a float spec, KV-only RTN specs on the FP32 linears (no second f32 copy), else quantized */
  const specEngine = async (i: number, spec: QuantSpec): Promise<LogitsEngine> => {
    if (spec.float) return fpOf();
    if (sharesFp(spec)) {
      const e = llamaEngine(fpModelOf(), { name: spec.text, kv: spec.kv ? { bits: spec.kv.bits, groupSize: spec.kv.groupSize } : null });
      return { ...e, close: async () => {} }; // the FP32 linears are fp's to free
    }
    if (spec.method !== "rtn" && !cal) {
      progress(i, "calibrate");
      const calDocs: Int32Array[] = [];
      let n = 0;
      for await (const ids of tokenized(o.tokenizer, o.calibText !== undefined ? textDocuments(o.calibText) : source)) {
        if (n >= MAX_CALIBRATION_TOKENS) break;
        calDocs.push(ids.subarray(0, MAX_CALIBRATION_TOKENS - n));
        n += calDocs.at(-1)!.length;
      }
      cal = calibrate(fpModelOf(), calDocs, { hessian: o.specs.some((s) => s.method === "gptq"), signal: o.signal });
      await o.onCalibration?.(cal);
    }
    progress(i, "quantize");
    const q = quantizeModel(config, weights, spec, { f32: o.f32, head, packed: o.packed, calibration: cal });
    for (const note of summarizeNotes(q.notes)) o.onNote?.(spec, note);
    return llamaEngine(q.model, { name: spec.text, kv: q.kv });
  };
  const finish = async (spec: QuantSpec, engine: LogitsEngine, r: EvalResult & { ref_mean_nll: number | null }) => {
    const { ref_mean_nll: _, ...result } = r;
    const mc = o.tasks ? await scoreChoices(engine, o.tokenizer, o.tasks, o.signal) : {};
    results.set(spec.text, result);
    await o.onSpec?.(spec, { ...result, ...mc });
  };
  const engines: LogitsEngine[] = [];
  const closeEngines = async () => { for (const e of engines.splice(0)) if (e !== fp) await e.close(); };
  try {
    if (order === "spec-major") {
      for (const [i, spec] of o.specs.entries()) {
        const engine = await specEngine(i, spec);
        engines.push(engine);
        const r = await evaluate(engine, tokenized(o.tokenizer, source), fpOf(), {
          totals, signal: o.signal, context: o.context, shard: o.shard, onWindow: (w, ss) => { o.onWindow?.(i, w, ss[0]!); o.collectGarbage?.(); }, onProgress: (p) => progress(i, "evaluate", p),
        });
        await finish(spec, engine, r);
        await closeEngines();
      }
    } else {
      // quantized engines first, from the float32 weights; then the FP32 model takes those weights
      // over (released layer by layer) and the float and KV-only specs share it: peak ~ one f32 copy
      // + the packed specs (2 copies while quantizing when a calibrated method built FP32 first)
      const slots: Array<LogitsEngine | undefined> = [];
      for (const [i, spec] of o.specs.entries()) if (!sharesFp(spec)) slots[i] = await specEngine(i, spec);
      fpModelOf(true);
      releaseLinearWeights(weights);
      for (const [i, spec] of o.specs.entries()) engines.push(slots[i] ?? (await specEngine(i, spec)));
      const all = `${o.specs.length} spec${o.specs.length > 1 ? "s" : ""}`;
      const rs = await evaluateAll(engines, tokenized(o.tokenizer, source), fpOf(), {
        totals, signal: o.signal, context: o.context, shard: o.shard, onWindow: (w, ss) => { ss.forEach((x, i) => o.onWindow?.(i, w, x)); o.collectGarbage?.(); }, onProgress: (p) => progress(0, "evaluate", p, all, 1),
      });
      for (const [i, spec] of o.specs.entries()) {
        o.signal?.throwIfAborted();
        await finish(spec, engines[i]!, rs[i]!);
      }
    }
  } finally {
    await closeEngines();
    await (fp as LogitsEngine | null)?.close();
    if (!fpModel) streamed.forEach(disposeLayer); // built while loading, never handed to an engine
    for (const lin of heads.values()) lin.dispose?.();
  }
  return results;
}

/** "layer 3 o_proj: not scaled (...)" notes grouped by what follows the layer: "o_proj: not scaled (...) in layers 0, 1, 3". */
export function summarizeNotes(notes: string[]): string[] {
  const byText = new Map<string, string[]>();
  for (const n of notes) {
    const m = /^layer (\d+) (.*)$/.exec(n);
    const [layer, text] = m ? [m[1]!, m[2]!] : ["", n];
    byText.set(text, [...(byText.get(text) ?? []), layer]);
  }
  return [...byText].map(([text, layers]) => (layers[0] === "" ? text : `${text} in layer${layers.length > 1 ? "s" : ""} ${layers.join(", ")}`));
}
