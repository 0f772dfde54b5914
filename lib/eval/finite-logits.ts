/**
 * Numbers that cannot be right stop an evaluation: NaN or infinite logits (a broken config, an
 * overflowing quantization) would otherwise print KL 0 and top-1 1.000, because NaN compares
 * false everywhere. Checked once per position on the log-sum-exp, which is NaN or infinite
 * exactly when some logit is NaN or +Inf, or all are -Inf.
 */

/** An engine produced logits that are not finite numbers. */
export class NonFiniteLogitsError extends Error {
  override name = "NonFiniteLogitsError";
  constructor(readonly engine: string, readonly position: number, lse: number) {
    super(`${engine}: logits at window position ${position} are not finite (log-sum-exp ${lse}); the model or its quantization produces NaN/Inf`);
  }
}

/** Throws NonFiniteLogitsError unless `lse` (logSumExp of one row) is finite. */
export function checkFiniteLogits(lse: number, engine: string, position: number): void {
  if (!Number.isFinite(lse)) throw new NonFiniteLogitsError(engine, position, lse);
}
