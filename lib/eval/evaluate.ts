/**
 * Perplexity, KL divergence and top-1 agreement of a model against the FP32 reference, over
 * tokenized documents, following lib/model/protocol.ts. The two engines run the same windows in
 * lockstep and only one row of logits each is held at a time: memory does not grow with the text.
 */
import type { LogitsEngine } from "../model/engine.ts";
import { EvalSums, argmax, klDivergence, logSumExp, nll, type EvalResult } from "./metrics.ts";
import { checkFiniteLogits } from "./finite-logits.ts";
import { documentWindows } from "../model/protocol.ts";

export interface EvalProgress { tokens: number; totalTokens: number; documents: number; totalDocuments: number }

export interface EvaluateOptions {
  signal?: AbortSignal;
  onProgress?: (p: EvalProgress) => void;
  /** predicted tokens and documents in all (for progress); counted from `documents` when it is an array */
  totals?: { tokens: number; documents: number };
  /** window length S (`--context`); default and upper bound: the engines' context length */
  context?: number;
}

/**
 * Scores `model` on `documents` (token ids, BOS first). With `reference` (the FP32 engine), also
 * KL(p_ref || p_model) and top-1 agreement; without it, or when it is the same engine, KL is 0
 * and agreement 1.
 */
export async function evaluate(
  model: LogitsEngine, documents: Int32Array[] | AsyncIterable<Int32Array>, reference: LogitsEngine | null, opts: EvaluateOptions = {},
): Promise<EvalResult & { ref_mean_nll: number | null }> {
  const sums = new EvalSums();
  const ctx = windowLength(Math.min(model.contextLength, reference?.contextLength ?? Infinity), opts.context);
  const totals = opts.totals ?? (Array.isArray(documents)
    ? { tokens: documents.reduce((s, d) => s + Math.max(d.length - 1, 0), 0), documents: documents.length }
    : { tokens: 0, documents: 0 });
  const totalTokens = totals.tokens;
  const same = !reference || reference === model;
  let docsDone = 0;
  for await (const doc of documents) {
    for (const w of documentWindows(doc, ctx)) {
      opts.signal?.throwIfAborted();
      const it = model.window(w.input, opts.signal)[Symbol.asyncIterator]();
      const rit = same ? null : reference!.window(w.input, opts.signal)[Symbol.asyncIterator]();
      for (let pos = 0; pos < w.input.length; pos++) {
        const q = await it.next();
        const r = rit ? await rit.next() : q;
        if (q.done || r.done) throw new Error(`evaluate: ${model.name} yielded ${pos} rows for a window of ${w.input.length}`);
        const target = w.targets[pos]!;
        const lq = logSumExp(q.value);
        checkFiniteLogits(lq, model.name, pos);
        sums.tokens++;
        sums.nll += nll(q.value, target, lq);
        if (same) { sums.refNll += nll(q.value, target, lq); sums.agree++; continue; }
        const lr = logSumExp(r.value);
        checkFiniteLogits(lr, reference!.name, pos);
        sums.refNll += nll(r.value, target, lr);
        sums.kl += klDivergence(r.value, q.value, lr, lq);
        if (argmax(r.value) === argmax(q.value)) sums.agree++;
      }
      await it.return?.();
      await rit?.return?.();
      opts.onProgress?.({ tokens: sums.tokens, totalTokens, documents: docsDone, totalDocuments: totals.documents });
    }
    docsDone++;
  }
  opts.onProgress?.({ tokens: sums.tokens, totalTokens, documents: docsDone, totalDocuments: totals.documents });
  return { ...sums.result(), ref_mean_nll: sums.tokens ? sums.refNll / sums.tokens : null };
}

/** The protocol's S: `context` when given (a positive integer at most the model's), else the model's context length. */
export function windowLength(modelContext: number, context?: number): number {
  if (context === undefined) return modelContext;
  if (!(Number.isSafeInteger(context) && context >= 1)) throw new RangeError(`context ${context} must be a positive integer`);
  if (context > modelContext) throw new RangeError(`context ${context} exceeds the model's context length ${modelContext}`);
  return context;
}
