/**
 * Per-window sums of an evaluation (run_windows): what a window-major run has finished before its
 * last window. A window-major run scores every spec on every window at once, so no spec is done
 * until the end; its windows are stored as they finish and its final rows (run_results) at the end.
 * A run cut off in between (a killed process) keeps every stored window: merged in window order they
 * give each spec's metrics over the tokens scored so far, and over all windows they equal the final
 * rows bit for bit (the evaluator merges them in the same order).
 */
import { EvalSums, type EvalResult } from "../eval/metrics.ts";
import { named } from "./queries.ts";
import { sql, type Store } from "./store.ts";

/** One scored window of one spec: the evaluator's float64 sums over its positions. */
export interface WindowSumsRow { spec: string; window: number; sums: EvalSums }

/** Appends scored windows (one insert for the batch). */
export function saveRunWindows(store: Store, runId: string, rows: WindowSumsRow[]): Promise<void> {
  if (rows.length === 0) return Promise.resolve();
  return named(`saveRunWindows(${runId}, ${rows.length} rows)`, async () => {
    await store.insert("run_windows", rows.map(({ spec, window, sums: s }) => ({
      run_id: runId, spec, window_index: window, tokens: s.tokens, nll: s.nll, ref_nll: s.refNll, kl: s.kl, agree: s.agree,
    })));
  });
}

/** One spec's metrics over the windows a run stored: `windows` of them, `last` the highest window index. */
export interface WindowResult extends EvalResult { spec: string; windows: number; last: number }

/** Each spec's metrics over its stored windows, merged in window order; specs in first-stored order. */
export function fetchWindowResults(store: Store, runId: string): Promise<WindowResult[]> {
  return named(`fetchWindowResults(${runId})`, async () => {
    const rows = await store.query<{ spec: string; window_index: number; tokens: number; nll: number; ref_nll: number; kl: number; agree: number }>(sql`
      SELECT spec, window_index, CAST(tokens AS DOUBLE) AS tokens, nll, ref_nll, kl, CAST(agree AS DOUBLE) AS agree
      FROM run_windows WHERE run_id = ${runId} ORDER BY window_index, spec`);
    const bySpec = new Map<string, { sums: EvalSums; windows: number; last: number; first: number }>();
    for (const [i, r] of rows.entries()) {
      let e = bySpec.get(r.spec);
      if (!e) bySpec.set(r.spec, (e = { sums: new EvalSums(), windows: 0, last: -1, first: i }));
      e.sums.merge(Object.assign(new EvalSums(), { tokens: Number(r.tokens), nll: r.nll, refNll: r.ref_nll, kl: r.kl, agree: Number(r.agree) }));
      e.windows++;
      e.last = r.window_index;
    }
    return [...bySpec].sort((a, b) => a[1].first - b[1].first).map(([spec, e]) => ({ spec, ...e.sums.result(), windows: e.windows, last: e.last }));
  });
}
