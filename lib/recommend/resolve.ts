/**
 * Rule matching and bucket resolution (the "rules" and "fallback" steps): which rules speak of a
 * deployment, which bucket wins when several do, and the evidence fallback for specs no rule decides.
 */
import type { SpecAggregate } from "../store/evidence-aggregates.ts";
import { ACCEPTABLE_DROP_PCT, NEGLIGIBLE_DROP_PCT } from "./constants.ts";
import { worse } from "./measured.ts";
import type { FiredRule } from "./result.ts";
import type { Rule } from "./rules.ts";
import { isLongContext } from "./scope.ts";
import type { Bucket, RecommendInput } from "./types.ts";
import { maxOf } from "../tensor/extent.ts";

/** True when the rule's scope covers the user's deployment. */
export function ruleMatches(rule: Rule, input: RecommendInput): boolean {
  const s = rule.scope;
  if (s.sizeLtB !== undefined && !(input.paramsB < s.sizeLtB)) return false;
  if (s.sizeGtB !== undefined && !(input.paramsB > s.sizeGtB)) return false;
  if (s.tasks && !(input.task && s.tasks.includes(input.task))) return false;
  if (s.families && !(input.family && s.families.includes(input.family))) return false;
  if (s.context === "long" && !isLongContext(input)) return false;
  if (s.context === "short" && isLongContext(input)) return false;
  if (s.memoryBudget && input.memoryGb === null) return false;
  return true;
}

/** How narrow a rule's scope is: the more conditions, the more it overrides (a family exception beats a general warning). */
export function specificity(rule: Rule): number {
  return Object.values(rule.scope).filter((v) => v !== undefined).length;
}

/**
 * The bucket of the holding rules: the most specific ones decide, and among equally specific
 * ones the worst bucket wins (a warning is not outvoted). Marks the deciding rules `applied`.
 */
export function resolveRules(fired: Array<FiredRule & { specificity: number }>): Bucket | null {
  const holding = fired.filter((f) => f.holds);
  if (holding.length === 0) return null;
  const top = maxOf(holding.map((f) => f.specificity));
  const deciding = holding.filter((f) => f.specificity === top);
  const bucket = deciding.map((f) => f.bucket).reduce(worse);
  for (const f of deciding) if (f.bucket === bucket) f.applied = true;
  return bucket;
}

/** The fallback for a spec no rule decides: its mean relative drop against the paper's bands. */
export function bucketFromDrop(a: SpecAggregate): Bucket {
  return a.mean_rel_drop_pct < NEGLIGIBLE_DROP_PCT ? "recommended" : a.mean_rel_drop_pct <= ACCEPTABLE_DROP_PCT ? "acceptable" : "avoid";
}
