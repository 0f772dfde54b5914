/**
 * Perplexity, KL divergence and top-1 agreement of models against the FP32 reference, over
 * tokenized documents, following lib/model/protocol.ts. The engines run the same windows in
 * lockstep and only one row of logits each is held at a time: memory does not grow with the text.
 */
import type { LogitsEngine } from "../model/engine.ts";
import { EvalSums, ReferenceRow, argmax, klDivergence, klFromReference, logSumExp, nll, type EvalResult } from "./metrics.ts";
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
  /** score only this part's windows (a run split across threads) */
  shard?: WindowShard;
  /** each scored window's sums, one per engine (a split run merges every part's in window order) */
  onWindow?: (window: number, sums: EvalSums[]) => void;
}

/**
 * One part of a run split by windows: the windows (numbered over all documents, in order) whose
 * number is `index` mod `count`. Every window's sums are accumulated on their own and merged in
 * window order, split or not, so any split gives the unsplit run's numbers bit for bit.
 */
export interface WindowShard { index: number; count: number }

/**
 * Scores `model` on `documents` (token ids, BOS first). With `reference` (the FP32 engine), also
 * KL(p_ref || p_model) and top-1 agreement; without it, or when it is the same engine, KL is 0
 * and agreement 1.
 */
export async function evaluate(
  model: LogitsEngine, documents: Int32Array[] | AsyncIterable<Int32Array>, reference: LogitsEngine | null, opts: EvaluateOptions = {},
): Promise<EvalResult & { ref_mean_nll: number | null }> {
  return (await evaluateAll([model], documents, reference ?? model, opts))[0]!;
}

/**
 * Scores every engine of `models` against `reference` in one walk over the windows (window-major,
 * issue 14): each window runs once through the reference and once through each other engine, the
 * engines zipped row by row, so memory holds one row of logits per engine (and each engine's
 * window of final hidden states) whatever the number of specs or the length of the text. An engine
 * that is `reference` itself is scored from the reference's rows (KL 0, agreement 1). Per position
 * and per engine the float64 arithmetic and its order are those of a pass with that engine alone,
 * so the results equal evaluate()'s for each engine exactly (and any `shard` split's, merged).
 */
export async function evaluateAll(
  models: LogitsEngine[], documents: Int32Array[] | AsyncIterable<Int32Array>, reference: LogitsEngine, opts: EvaluateOptions = {},
): Promise<Array<EvalResult & { ref_mean_nll: number | null }>> {
  const sums = models.map(() => new EvalSums());
  const ctx = windowLength(models.reduce((n, m) => Math.min(n, m.contextLength), reference.contextLength), opts.context);
  const totals = opts.totals ?? (Array.isArray(documents)
    ? { tokens: documents.reduce((s, d) => s + Math.max(d.length - 1, 0), 0), documents: documents.length }
    : { tokens: 0, documents: 0 });
  const others = models.map((m, i) => [m, i] as const).filter(([m]) => m !== reference);
  let docsDone = 0, tokens = 0, window = -1;
  const refRowBuf = new ReferenceRow(reference.vocabSize);
  for await (const doc of documents) {
    for (const w of documentWindows(doc, ctx)) {
      window++;
      if (opts.shard && window % opts.shard.count !== opts.shard.index) continue;
      opts.signal?.throwIfAborted();
      const ws = models.map(() => new EvalSums()); // this window's sums, merged in window order below
      const rit = reference.window(w.input, opts.signal)[Symbol.asyncIterator]();
      const its = others.map(([m]) => m.window(w.input, opts.signal)[Symbol.asyncIterator]());
      try {
        for (let pos = 0; pos < w.input.length; pos++) {
          const r = await rit.next();
          if (r.done) throw new Error(`evaluate: ${reference.name} yielded ${pos} rows for a window of ${w.input.length}`);
          const target = w.targets[pos]!;
          const lr = logSumExp(r.value);
          checkFiniteLogits(lr, reference.name, pos);
          const refNll = nll(r.value, target, lr);
          for (const [i, m] of models.entries()) {
            if (m !== reference) continue;
            const s = ws[i]!;
            s.tokens++; s.nll += refNll; s.refNll += refNll; s.agree++;
          }
          const refTop = others.length ? argmax(r.value) : -1;
          const refRow = others.length > 1 ? refRowBuf.set(r.value, lr) : null; // shared by every engine's KL
          for (const [k, [m, i]] of others.entries()) {
            const q = await its[k]!.next();
            if (q.done) throw new Error(`evaluate: ${m.name} yielded ${pos} rows for a window of ${w.input.length}`);
            const lq = logSumExp(q.value);
            checkFiniteLogits(lq, m.name, pos);
            const s = ws[i]!;
            s.tokens++;
            s.nll += nll(q.value, target, lq);
            s.refNll += refNll;
            s.kl += refRow ? klFromReference(refRow, q.value, lq) : klDivergence(r.value, q.value, lr, lq);
            if (refTop === argmax(q.value)) s.agree++;
          }
        }
      } finally {
        await rit.return?.();
        for (const it of its) await it.return?.();
      }
      ws.forEach((s, i) => sums[i]!.merge(s));
      opts.onWindow?.(window, ws);
      tokens += w.predicted;
      opts.onProgress?.({ tokens, totalTokens: totals.tokens, documents: docsDone, totalDocuments: totals.documents });
    }
    docsDone++;
  }
  opts.onProgress?.({ tokens, totalTokens: totals.tokens, documents: docsDone, totalDocuments: totals.documents });
  return sums.map((s) => ({ ...s.result(), ref_mean_nll: s.tokens ? s.refNll / s.tokens : null }));
}

/** The protocol's S: `context` when given (a positive integer at most the model's), else the model's context length. */
export function windowLength(modelContext: number, context?: number): number {
  if (context === undefined) return modelContext;
  if (!(Number.isSafeInteger(context) && context >= 1)) throw new RangeError(`context ${context} must be a positive integer`);
  if (context > modelContext) throw new RangeError(`context ${context} exceeds the model's context length ${modelContext}`);
  return context;
}
