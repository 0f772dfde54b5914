/**
 * The evidence aggregates the recommendation engine reads, as bound SQL over evidence_results
 * (same text in Node DuckDB and duckdb-wasm). Conventions follow data/evidence/README.md's
 * findings checks, so a rule's check can be compared with the finding's own data_check:
 * - relative drop % = (fp16 - q) / fp16 x 100 (positive = loss), averaged per (model, dataset)
 *   pair first, then over pairs; point drop = fp16 - q in points (fractions x 100);
 * - metrics: accuracy (emergent: the plotted `b`), gpt4_score, TruthfulQA mc2, AdvGLUE acc_after;
 * - long context: LongEval length buckets (len_Nk) and lost-in-the-middle positions; the
 *   LongEval position buckets repeat the 16k runs and are left out;
 * - left out: rows noted as commented out, anomalous, not meaningful (Falcon-40B ETHICS) or a typo.
 */
import { named } from "./queries.ts";
import type { Store } from "./store.ts";

/** Metrics that carry the published score of each task (README "findings checks"). */
export const SCORE_METRICS = ["accuracy", "gpt4_score", "mc2", "acc_after"] as const;
/** Note fragments of rows the checks leave out. */
export const EXCLUDED_NOTES = ["%commented out%", "%anomalous%", "%not meaningful%", "%probably a typo%"] as const;
/** LongEval bucket `len_{N}k` holds prompts of about N x 1024 tokens (README: 200-680 lines, 4k-16k). */
export const TOKENS_PER_K = 1024;

/** Which evidence an aggregate reads; every field narrows it, absent fields mean "any". */
export interface EvidenceScope {
  taskCategories?: string[];
  abilities?: string[];
  datasets?: string[];
  families?: string[];
  /** models with size_b >= this (billions, total parameters) */
  sizeMinB?: number;
  /** models with size_b < this */
  sizeMaxB?: number;
  /** long-context rows only up to this prompt length (len_Nk buckets); others are kept */
  maxContextTokens?: number;
  /** only these LongEval length buckets (e.g. ["len_4k"]) among the long-context rows */
  contextBuckets?: string[];
  /** also read the LLaMA3 study's accuracy rows (no fine-tuning) */
  includeLlama3?: boolean;
}

/** Per spec: pairs and rows behind it, mean/max relative drop, point drop, and closeness to a model. */
export interface SpecAggregate {
  spec: string;
  pairs: number;
  rows: number;
  mean_rel_drop_pct: number;
  max_rel_drop_pct: number;
  mean_point_drop: number;
  /** pairs whose mean relative drop is below `withinPct` */
  pairs_within: number;
  /** rows losing less than `withinPoints` points */
  rows_within_points: number;
  /** mean |log2(size_b / near_size_b)| over pairs */
  mean_log2_size_gap: number;
  /** share of pairs of `near_family` */
  family_share: number;
  row_ids: string[];
}

function scopeWhere(scope: EvidenceScope, params: unknown[]): string {
  const inList = (col: string, values: readonly string[]) => { params.push(...values); return `${col} IN (${values.map(() => "?").join(", ")})`; };
  const where = [
    scope.includeLlama3
      ? "(starts_with(row_id, 'qe_') OR (starts_with(row_id, 'l3_') AND metric = 'accuracy' AND finetune = 'none' AND method <> 'SpinQuant'))"
      : "starts_with(row_id, 'qe_')",
    inList("metric", SCORE_METRICS),
    `NOT (${EXCLUDED_NOTES.map(() => "coalesce(notes, '') LIKE ?").join(" OR ")})`,
    "value IS NOT NULL AND fp16_value > 0",
    "coalesce(context_bucket, '') NOT LIKE 'len\\_%\\_pos\\_%' ESCAPE '\\'",
  ];
  params.push(...EXCLUDED_NOTES);
  if (scope.taskCategories) where.push(inList("task_category", scope.taskCategories));
  if (scope.abilities) where.push(inList("ability", scope.abilities));
  if (scope.datasets) where.push(inList("dataset", scope.datasets));
  if (scope.families) where.push(inList("family", scope.families));
  if (scope.sizeMinB !== undefined) { where.push("size_b >= ?"); params.push(scope.sizeMinB); }
  if (scope.sizeMaxB !== undefined) { where.push("size_b < ?"); params.push(scope.sizeMaxB); }
  if (scope.maxContextTokens !== undefined) {
    where.push(`coalesce(TRY_CAST(regexp_extract(context_bucket, '^len_(\\d+)k$', 1) AS INTEGER), 0) * ${TOKENS_PER_K} <= ?`);
    params.push(scope.maxContextTokens);
  }
  if (scope.contextBuckets) where.push(inList("context_bucket", scope.contextBuckets));
  return where.join(" AND ");
}

/** Aggregates keep 9 significant digits (enough for every figure shown, below the runtimes' summation noise). */
const round = (x: number) => Number(x.toPrecision(9));

/** Options of a spec aggregate: the thresholds it counts against and the model it measures closeness to. */
export interface AggregateOptions { withinPct: number; withinPoints: number; nearSizeB: number; nearFamily: string | null }

/** One aggregate per spec of `specs` that has rows in `scope` (specs without rows are absent). */
export function fetchSpecAggregates(store: Store, specs: string[], scope: EvidenceScope, o: AggregateOptions): Promise<SpecAggregate[]> {
  return named(`fetchSpecAggregates(${specs.join(",")})`, async () => {
    if (specs.length === 0) return [];
    const params: unknown[] = [];
    const where = scopeWhere(scope, params);
    const text = `WITH r AS (
        SELECT row_id, spec, model, family, size_b, dataset,
          (fp16_value - value) / fp16_value * 100 AS rel_drop,
          (fp16_value - value) * CASE WHEN value_unit = 'fraction' THEN 100 ELSE 1 END AS point_drop
        FROM evidence_results WHERE ${where} AND spec IN (${specs.map(() => "?").join(", ")})
      ), p AS (
        SELECT spec, model, dataset, any_value(family) AS family, any_value(size_b) AS size_b, avg(rel_drop) AS rel_drop,
          count(*) AS n, count(*) FILTER (WHERE point_drop < ?) AS n_within, avg(point_drop) AS point_drop, list(row_id) AS ids
        FROM r GROUP BY spec, model, dataset
      )
      SELECT spec, CAST(count(*) AS INTEGER) AS pairs, CAST(sum(n) AS INTEGER) AS rows,
        avg(rel_drop) AS mean_rel_drop_pct, max(rel_drop) AS max_rel_drop_pct, avg(point_drop) AS mean_point_drop,
        CAST(count(*) FILTER (WHERE rel_drop < ?) AS INTEGER) AS pairs_within, CAST(sum(n_within) AS INTEGER) AS rows_within_points,
        avg(abs(log2(size_b / ?))) AS mean_log2_size_gap, avg(CASE WHEN family = ? THEN 1.0 ELSE 0.0 END) AS family_share,
        list_sort(flatten(list(ids))) AS row_ids
      FROM p GROUP BY spec ORDER BY spec`;
    params.push(...specs, o.withinPoints, o.withinPct, o.nearSizeB, o.nearFamily ?? "");
    // rounded: the runtimes sum doubles in different orders, and the answer must not depend on it
    return (await store.query<SpecAggregate>(text, params)).map((a) => ({
      ...a, mean_rel_drop_pct: round(a.mean_rel_drop_pct), max_rel_drop_pct: round(a.max_rel_drop_pct), mean_point_drop: round(a.mean_point_drop),
      mean_log2_size_gap: round(a.mean_log2_size_gap), family_share: round(a.family_share),
    }));
  });
}

/** One same-family comparison behind F05: a larger model at W3 against a smaller one at the same weight memory. */
export interface LargerAtW3Pair { dataset: string; larger: string; smaller: string; smaller_spec: string; larger_wins: boolean; row_ids: string[] }

/**
 * Larger@W3 vs smaller@b, same family, dataset, bucket and metric, where b is the lowest bit width
 * of the smaller model whose weight memory (params x bits) is at least (1 - slack) x the larger's at W3.
 */
export function fetchLargerAtW3Pairs(store: Store, scope: EvidenceScope, slack: number): Promise<LargerAtW3Pair[]> {
  return named("fetchLargerAtW3Pairs", async () => {
    const params: unknown[] = [];
    const where = scopeWhere(scope, params);
    const text = `WITH r AS (
        SELECT row_id, family, model, size_b, dataset, coalesce(context_bucket, '') AS bucket, metric, w_bits, spec, value
        FROM evidence_results WHERE ${where} AND quant_target IN ('W', 'none') AND method IN ('RTN', 'FP16')
      ), c AS (
        SELECT b.dataset, b.model AS larger, s.model AS smaller, s.spec AS smaller_spec, b.value > s.value AS larger_wins,
          [b.row_id, s.row_id] AS row_ids,
          row_number() OVER (PARTITION BY b.row_id, s.model ORDER BY s.w_bits) AS k
        FROM r b JOIN r s ON s.family = b.family AND s.dataset = b.dataset AND s.bucket = b.bucket AND s.metric = b.metric
        WHERE b.w_bits = 3 AND s.size_b < b.size_b AND s.w_bits > 3 AND s.size_b * s.w_bits >= b.size_b * 3 * (1 - ?)
      )
      SELECT dataset, larger, smaller, smaller_spec, larger_wins, row_ids FROM c WHERE k = 1 ORDER BY dataset, larger, smaller`;
    params.push(slack);
    return store.query<LargerAtW3Pair>(text, params);
  });
}
