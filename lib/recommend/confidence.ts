/**
 * Confidence of a spec's evidence, in [0, 1]:
 *   count x closeness x family x scope, where
 *   count     = min(1, pairs / FULL_CONFIDENCE_PAIRS),
 *   closeness = 1 / (1 + mean |log2(size_b / user's size)|)   (1 when the models are the user's size),
 *   family    = 0.5 + 0.5 x share of pairs of the user's family (0.75 when the family is unknown),
 *   scope     = 0.5 ^ widened                                   (each widening halves it).
 */
import type { SpecAggregate } from "../store/evidence-aggregates.ts";
import { CONFIDENCE_HIGH, CONFIDENCE_MEDIUM, FULL_CONFIDENCE_PAIRS } from "./constants.ts";
import type { SpecResult } from "./result.ts";

/** The confidence of an aggregate found after `widened` widenings (null aggregate: 0, low). */
export function confidenceOf(a: SpecAggregate | null, widened: number, familyKnown: boolean): SpecResult["confidence"] {
  if (!a) return { value: 0, label: "low" };
  const count = Math.min(1, a.pairs / FULL_CONFIDENCE_PAIRS);
  const closeness = 1 / (1 + a.mean_log2_size_gap);
  const family = familyKnown ? 0.5 + 0.5 * a.family_share : 0.75;
  const value = Math.round(count * closeness * family * 0.5 ** widened * 100) / 100;
  return { value, label: value >= CONFIDENCE_HIGH ? "high" : value >= CONFIDENCE_MEDIUM ? "medium" : "low" };
}
