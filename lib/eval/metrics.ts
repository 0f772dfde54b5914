/**
 * Per-position metrics of next-token distributions, in float64: NLL of the target under a
 * model, KL divergence of the quantized distribution from the reference one, and whether their
 * argmaxes agree. Sums go into a mergeable accumulator.
 */

/** log-sum-exp of `logits` (max-shifted). */
export function logSumExp(logits: Float32Array): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  if (!Number.isFinite(max)) return max;
  let s = 0;
  for (let i = 0; i < logits.length; i++) s += Math.exp(logits[i]! - max);
  return max + Math.log(s);
}

/** Index of the largest logit (the first one on ties). */
export function argmax(logits: Float32Array): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
  return best;
}

/** -log p(target) under `logits`. */
export function nll(logits: Float32Array, target: number, lse = logSumExp(logits)): number {
  return lse - logits[target]!;
}

/** KL(p || q) = sum p (log p - log q), in nats, for p = softmax(ref), q = softmax(quant). */
export function klDivergence(ref: Float32Array, quant: Float32Array, lseRef = logSumExp(ref), lseQ = logSumExp(quant)): number {
  let kl = 0;
  for (let i = 0; i < ref.length; i++) {
    const lp = ref[i]! - lseRef;
    const p = Math.exp(lp);
    if (p > 0) kl += p * (lp - (quant[i]! - lseQ));
  }
  return Math.max(kl, 0);
}

/**
 * The reference row's log-probabilities and probabilities, computed once where several engines are
 * scored against the same row (evaluateAll): klFromReference then takes no exp per element.
 */
export class ReferenceRow {
  lp: Float64Array;
  p: Float64Array;
  constructor(vocab: number) {
    this.lp = new Float64Array(vocab);
    this.p = new Float64Array(vocab);
  }

  /** fills lp = ref - lseRef and p = exp(lp), as klDivergence computes them */
  set(ref: Float32Array, lseRef: number): this {
    if (ref.length !== this.lp.length) { this.lp = new Float64Array(ref.length); this.p = new Float64Array(ref.length); }
    const { lp, p } = this;
    for (let i = 0; i < ref.length; i++) {
      const l = ref[i]! - lseRef;
      lp[i] = l;
      p[i] = Math.exp(l);
    }
    return this;
  }
}

/** klDivergence(ref, quant, lseRef, lseQ) from the reference's precomputed row: the same operations, so the same value bit for bit. */
export function klFromReference(r: ReferenceRow, quant: Float32Array, lseQ: number): number {
  const { lp, p } = r;
  let kl = 0;
  for (let i = 0; i < quant.length; i++) {
    const pi = p[i]!;
    if (pi > 0) kl += pi * (lp[i]! - (quant[i]! - lseQ));
  }
  return Math.max(kl, 0);
}

/** Running sums of one evaluation; `merge` combines windows, documents or workers. */
export class EvalSums {
  tokens = 0;
  nll = 0;
  /** NLL of the reference (FP32) model on the same positions */
  refNll = 0;
  kl = 0;
  agree = 0;

  merge(o: EvalSums): this {
    this.tokens += o.tokens; this.nll += o.nll; this.refNll += o.refNll; this.kl += o.kl; this.agree += o.agree;
    return this;
  }

  /** The CONTRACT metrics: ppl, mean_nll, kl, top1_agreement, tokens (null metrics when no token was scored). */
  result(): EvalResult {
    const n = this.tokens;
    const mean = n ? this.nll / n : null;
    return {
      ppl: mean === null ? null : Math.exp(mean),
      mean_nll: mean,
      kl: n ? this.kl / n : null,
      top1_agreement: n ? this.agree / n : null,
      tokens: n,
    };
  }
}

/** One spec's evaluation, with the CONTRACT keys of `quantlens eval --json`. */
export interface EvalResult {
  ppl: number | null;
  mean_nll: number | null;
  kl: number | null;
  top1_agreement: number | null;
  tokens: number;
}
