/**
 * Named reads behind the dashboard's evidence explorer, bound SQL over evidence_results (same
 * text in Node DuckDB and duckdb-wasm). Every read takes one ExplorerFilter, so each chart and
 * the table under it show the same rows. Conventions follow evidence-aggregates.ts: the score
 * metrics only, flagged rows left out, values in points (fractions x 100), relative = value /
 * fp16 x 100, drop % = (fp16 - value) / fp16 x 100; "bits" is the narrowest of W, A and KV.
 */
import { EXCLUDED_NOTES, SCORE_METRICS } from "./evidence-aggregates.ts";
import { named } from "./queries.ts";
import type { Store } from "./store.ts";

/** One value per field narrows the rows; null means "any". */
export interface ExplorerFilter {
  family: string | null; sizeMinB: number | null; sizeMaxB: number | null; task: string | null; ability: string | null;
  dataset: string | null; target: string | null; bits: number | null; method: string | null;
}

export const ANY_FILTER: ExplorerFilter = { family: null, sizeMinB: null, sizeMaxB: null, task: null, ability: null, dataset: null, target: null, bits: null, method: null };

/** Narrowest bit width of a row (16 for FP16). */
const BITS = "least(coalesce(w_bits, 16), coalesce(a_bits, 16), coalesce(kv_bits, 16))";
const POINTS = "CASE WHEN value_unit = 'fraction' THEN 100 ELSE 1 END";

function where(f: ExplorerFilter, params: unknown[]): string {
  const w = [
    `metric IN (${SCORE_METRICS.map(() => "?").join(", ")})`,
    `NOT (${EXCLUDED_NOTES.map(() => "coalesce(notes, '') LIKE ?").join(" OR ")})`,
    "value IS NOT NULL AND fp16_value > 0",
  ];
  params.push(...SCORE_METRICS, ...EXCLUDED_NOTES);
  const eq = (col: string, v: unknown) => { if (v !== null) { w.push(`${col} = ?`); params.push(v); } };
  eq("family", f.family); eq("task_category", f.task); eq("ability", f.ability); eq("dataset", f.dataset);
  eq("quant_target", f.target); eq("method", f.method); eq(BITS, f.bits);
  if (f.sizeMinB !== null) { w.push("size_b >= ?"); params.push(f.sizeMinB); }
  if (f.sizeMaxB !== null) { w.push("size_b <= ?"); params.push(f.sizeMaxB); }
  return w.join(" AND ");
}

/** The filtered rows as the explorer reads them (a CTE named `r`). */
function rows(f: ExplorerFilter, params: unknown[]): string {
  return `r AS (SELECT row_id, source, family, model, size_b, task_category, ability, dataset, context_bucket, quant_target,
    spec, method, CAST(${BITS} AS DOUBLE) AS bits, metric, value * ${POINTS} AS value, fp16_value * ${POINTS} AS fp16,
    value / fp16_value * 100 AS rel_pct, (fp16_value - value) / fp16_value * 100 AS drop_pct
    FROM evidence_results WHERE ${where(f, params)})`;
}

/** One row of the explorer's table. */
export interface ExplorerRow {
  row_id: string; source: string; family: string | null; model: string | null; size_b: number | null; task_category: string | null;
  ability: string | null; dataset: string | null; context_bucket: string | null; quant_target: string | null; spec: string | null;
  method: string | null; bits: number; metric: string; value: number; fp16: number; rel_pct: number; drop_pct: number;
}

/** Every filtered row, by family, model, dataset and spec. */
export function fetchExplorerRows(store: Store, f: ExplorerFilter): Promise<ExplorerRow[]> {
  return named("fetchExplorerRows", () => {
    const p: unknown[] = [];
    return store.query<ExplorerRow>(`WITH ${rows(f, p)} SELECT * FROM r ORDER BY family, size_b, model, dataset, context_bucket, bits DESC, spec, row_id`, p);
  });
}

/** The values each filter offers (over all rows, so a filter never hides its own choices). */
export interface ExplorerFacets {
  families: string[]; tasks: string[]; abilities: string[]; datasets: string[]; targets: string[]; methods: string[]; bits: number[];
  size_min_b: number; size_max_b: number;
}

/** Distinct families, tasks, abilities, datasets, targets, methods and bit widths, and the size range. */
export function fetchExplorerFacets(store: Store): Promise<ExplorerFacets> {
  return named("fetchExplorerFacets", async () => {
    const p: unknown[] = [];
    const d = (col: string) => `list_sort(list_distinct(list(${col}) FILTER (WHERE ${col} IS NOT NULL)))`;
    const r = await store.queryRow<ExplorerFacets>(`WITH ${rows(ANY_FILTER, p)} SELECT ${d("family")} AS families, ${d("task_category")} AS tasks,
      ${d("ability")} AS abilities, ${d("dataset")} AS datasets, ${d("quant_target")} AS targets, ${d("method")} AS methods,
      ${d("bits")} AS bits, min(size_b) AS size_min_b, max(size_b) AS size_max_b FROM r`, p);
    return r!;
  });
}

/** Mean score of one model at one precision (per target and method), with its FP16 mean over the same rows. */
export interface PrecisionPoint { family: string; model: string; size_b: number; quant_target: string; method: string; bits: number; value: number; fp16: number; rel_pct: number; rows: number }

/** Accuracy against precision per family: one point per (model, target, method, bits); FP16 rows are the lines' start. */
export function fetchPrecisionPoints(store: Store, f: ExplorerFilter): Promise<PrecisionPoint[]> {
  return named("fetchPrecisionPoints", () => {
    const p: unknown[] = [];
    // the LongEval position buckets repeat the 16k runs (as in evidence-aggregates.ts)
    return store.query<PrecisionPoint>(`WITH ${rows(f, p)}
      SELECT family, model, any_value(size_b) AS size_b, quant_target, method, bits, avg(value) AS value, avg(fp16) AS fp16,
        avg(rel_pct) AS rel_pct, CAST(count(*) AS INTEGER) AS rows
      FROM r WHERE quant_target <> 'none' AND family IS NOT NULL AND coalesce(context_bucket, '') NOT LIKE 'len\\_%\\_pos\\_%' ESCAPE '\\'
      GROUP BY family, model, quant_target, method, bits ORDER BY family, size_b, model, quant_target, method, bits DESC`, p);
  });
}

/** Mean relative drop of one model at one spec: averaged per dataset first, then over datasets. */
export interface DropCell { model: string; size_b: number; spec: string; bits: number; drop_pct: number; pairs: number; rows: number }

/** The model x precision grid of mean relative drop (%, positive = loss). */
export function fetchDropGrid(store: Store, f: ExplorerFilter): Promise<DropCell[]> {
  return named("fetchDropGrid", () => {
    const p: unknown[] = [];
    return store.query<DropCell>(`WITH ${rows(f, p)}, d AS (
        SELECT model, any_value(size_b) AS size_b, spec, any_value(bits) AS bits, dataset, avg(drop_pct) AS drop_pct, count(*) AS n
        FROM r WHERE quant_target <> 'none' AND model IS NOT NULL GROUP BY model, spec, dataset)
      SELECT model, any_value(size_b) AS size_b, spec, any_value(bits) AS bits, avg(drop_pct) AS drop_pct,
        CAST(count(*) AS INTEGER) AS pairs, CAST(sum(n) AS INTEGER) AS rows
      FROM d GROUP BY model, spec ORDER BY size_b, model, bits DESC, spec`, p);
  });
}

/**
 * Long-context accuracy of one spec at one prompt length (k tokens) or needle position (0 = start,
 * 1 = end); `bench` tells the position benchmarks apart ("longeval" 16k, "litm" lost in the middle).
 */
export interface LongContextPoint { spec: string; x: number; value: number; rows: number; bench?: string }

/** Mean accuracy per spec by LongEval prompt length (`len_Nk` buckets). */
export function fetchLongContextByLength(store: Store, f: ExplorerFilter): Promise<LongContextPoint[]> {
  return named("fetchLongContextByLength", () => {
    const p: unknown[] = [];
    return store.query<LongContextPoint>(`WITH ${rows(f, p)}
      SELECT spec, CAST(regexp_extract(context_bucket, '^len_(\\d+)k$', 1) AS DOUBLE) AS x, avg(value) AS value, CAST(count(*) AS INTEGER) AS rows
      FROM r WHERE regexp_matches(context_bucket, '^len_\\d+k$') GROUP BY spec, x ORDER BY spec, x`, p);
  });
}

/** Mean accuracy per benchmark and spec by needle position: `pos_i_of_n` buckets (LongEval 16k, lost in the middle) as i / (n - 1). */
export function fetchLongContextByPosition(store: Store, f: ExplorerFilter): Promise<LongContextPoint[]> {
  return named("fetchLongContextByPosition", () => {
    const p: unknown[] = [];
    return store.query<LongContextPoint>(`WITH ${rows(f, p)}, q AS (
        SELECT spec, value, CASE WHEN starts_with(context_bucket, 'gold_pos') THEN 'litm' ELSE 'longeval' END AS bench,
          CAST(regexp_extract(context_bucket, 'pos_(\\d+)_of_(\\d+)$', 1) AS DOUBLE) AS i,
          CAST(regexp_extract(context_bucket, 'pos_(\\d+)_of_(\\d+)$', 2) AS DOUBLE) AS n
        FROM r WHERE regexp_matches(context_bucket, 'pos_\\d+_of_\\d+$'))
      SELECT bench, spec, round(i / greatest(n - 1, 1), 3) AS x, avg(value) AS value, CAST(count(*) AS INTEGER) AS rows
      FROM q GROUP BY bench, spec, x ORDER BY bench, spec, x`, p);
  });
}

/** The explorer rows of the given ids (the rows behind a recommendation's reason), in table order. */
export function fetchExplorerRowsByIds(store: Store, ids: string[]): Promise<ExplorerRow[]> {
  return named("fetchExplorerRowsByIds", async () => {
    if (ids.length === 0) return [];
    const p: unknown[] = [];
    const cte = rows(ANY_FILTER, p);
    p.push(...ids);
    return store.query<ExplorerRow>(`WITH ${cte} SELECT * FROM r WHERE row_id IN (${ids.map(() => "?").join(", ")})
      ORDER BY family, size_b, model, dataset, context_bucket, bits DESC, spec, row_id`, p);
  });
}
