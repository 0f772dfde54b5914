/**
 * Runs rules' data checks against the loaded evidence, spec by spec, and words the aggregates.
 * Aggregates are cached per (scope, specs) so one recommendation queries each scope once.
 */
import { fetchLargerAtW3Pairs, fetchSpecAggregates, type EvidenceScope, type SpecAggregate } from "../store/evidence-aggregates.ts";
import type { Store } from "../store/store.ts";
import { F05_MEMORY_SLACK, LONG_CONTEXT_LOSS_POINTS, NEGLIGIBLE_DROP_PCT } from "./constants.ts";
import type { AggregateCheck, Measure, Rule } from "./rules.ts";

/** The outcome of one rule's check for one spec. */
export interface CheckResult { spec: string; holds: boolean; value: number | null; pairs: number; rows: number; row_ids: string[]; text: string }

/** Aggregates over a store for one user (closeness is measured to `nearSizeB` / `nearFamily`). */
export class EvidenceReader {
  private cache = new Map<string, Promise<SpecAggregate[]>>();
  constructor(readonly store: Store, readonly nearSizeB: number, readonly nearFamily: string | null) {}

  /** Aggregates of `specs` in `scope` (specs without rows are absent). */
  aggregates(specs: string[], scope: EvidenceScope): Promise<SpecAggregate[]> {
    const key = JSON.stringify([specs, scope]);
    let hit = this.cache.get(key);
    if (!hit) {
      hit = fetchSpecAggregates(this.store, specs, scope, { withinPct: NEGLIGIBLE_DROP_PCT, withinPoints: LONG_CONTEXT_LOSS_POINTS, nearSizeB: this.nearSizeB, nearFamily: this.nearFamily });
      this.cache.set(key, hit);
    }
    return hit;
  }

  /** F05's same-memory comparisons in a scope. */
  largerAtW3(scope: EvidenceScope) {
    return fetchLargerAtW3Pairs(this.store, scope, F05_MEMORY_SLACK);
  }
}

/** The measure of an aggregate (shares as fractions). */
export function measureOf(a: SpecAggregate, m: Measure): number {
  switch (m) {
    case "share_pairs_within": return a.pairs ? a.pairs_within / a.pairs : 0;
    case "share_rows_within_points": return a.rows ? a.rows_within_points / a.rows : 0;
    default: return a[m];
  }
}

const MEASURE_TEXT: Record<Measure, string> = {
  mean_rel_drop_pct: "mean relative drop", max_rel_drop_pct: "worst pair's relative drop", mean_point_drop: "mean drop in points",
  share_pairs_within: "share of model x dataset pairs within 2%", share_rows_within_points: "share of cells losing under 5 points",
};

/** A measure's value in words: `4.1%`, `0.16 points`, `92/103 cells`. */
export function formatMeasure(a: SpecAggregate, m: Measure): string {
  switch (m) {
    case "share_pairs_within": return `${a.pairs_within}/${a.pairs} pairs`;
    case "share_rows_within_points": return `${a.rows_within_points}/${a.rows} cells`;
    case "mean_point_drop": return `${a.mean_point_drop.toFixed(2)} points`;
    default: return `${a[m].toFixed(1)}%`;
  }
}

/** Runs an aggregate check for every spec of the rule's choice. A spec without rows fails (nothing to show). */
export async function runAggregateCheck(reader: EvidenceReader, rule: Rule & { check: AggregateCheck }): Promise<CheckResult[]> {
  const c = rule.check;
  const aggs = await reader.aggregates(rule.choice.specs, c.scope);
  return rule.choice.specs.map((spec) => {
    const a = aggs.find((x) => x.spec === spec);
    if (!a) return { spec, holds: false, value: null, pairs: 0, rows: 0, row_ids: [], text: `${spec}: no evidence rows in the check's scope` };
    const value = measureOf(a, c.measure);
    const holds = c.op === "<" ? value < c.threshold : value > c.threshold;
    const shown = c.measure.startsWith("share") ? `${formatMeasure(a, c.measure)} (${(value * 100).toFixed(0)}%)` : formatMeasure(a, c.measure);
    const bound = c.measure.startsWith("share") ? `${(c.threshold * 100).toFixed(0)}%` : String(c.threshold);
    return {
      spec, holds, value, pairs: a.pairs, rows: a.rows, row_ids: a.row_ids,
      text: `${spec}: ${MEASURE_TEXT[c.measure]} ${shown} ${holds ? c.op : c.op === "<" ? ">=" : "<="} ${c.thresholdName} ${bound} over ${a.pairs} pairs (${a.rows} rows)`,
    };
  });
}
