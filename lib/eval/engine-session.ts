/**
 * Evaluation with any engine pair (e.g. onnxruntime-web, whose quantized variants are opened per
 * spec by rewriting weights): the FP32 reference engine is opened once, each spec's engine in turn,
 * and each finished spec goes to `onSpec`.
 */
import type { QuantSpec } from "../quant/spec.ts";
import type { LogitsEngine } from "../model/engine.ts";
import { evaluate } from "./evaluate.ts";
import type { EvalResult } from "./metrics.ts";
import type { SessionProgress } from "./session.ts";

export interface EngineSessionOptions {
  /** token ids of each document, re-readable from the start (one pass per spec) */
  documents: () => AsyncIterable<Int32Array>;
  totals: { tokens: number; documents: number };
  specs: QuantSpec[];
  reference: LogitsEngine;
  /** the engine of a non-float spec; throws for a spec the engine cannot run */
  open(spec: QuantSpec): Promise<LogitsEngine>;
  signal?: AbortSignal;
  /** window length S of the protocol (default: the model's context) */
  context?: number;
  onProgress?: (p: SessionProgress) => void;
  onSpec?: (spec: QuantSpec, result: EvalResult) => Promise<void> | void;
}

/** Evaluates every spec against `reference`; results keyed by canonical spec text. */
export async function runEngineSession(o: EngineSessionOptions): Promise<Map<string, EvalResult>> {
  const results = new Map<string, EvalResult>();
  for (const [i, spec] of o.specs.entries()) {
    const engine = spec.float ? o.reference : await o.open(spec);
    try {
      const r = await evaluate(engine, o.documents(), o.reference, {
        signal: o.signal, totals: o.totals, context: o.context,
        onProgress: (p) => o.onProgress?.({ ...p, spec: spec.text, specIndex: i, specs: o.specs.length, phase: "evaluate" }),
      });
      const { ref_mean_nll: _, ...result } = r;
      results.set(spec.text, result);
      await o.onSpec?.(spec, result);
    } finally {
      if (engine !== o.reference) await engine.close();
    }
  }
  return results;
}
