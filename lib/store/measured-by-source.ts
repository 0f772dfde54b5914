/**
 * The user's own measured specs for the model on screen, known by what it was opened from
 * (models.source: "hf:org/name", "local:file") rather than its content id: the dashboard's
 * recommendation view sets these beside the evidence.
 */
import { fetchMeasuredSpecs, type MeasuredSpecRow } from "./eval-queries.ts";
import { named } from "./queries.ts";
import { sql, type Store } from "./store.ts";

/** Measured specs of the newest evaluated model whose source (or id) is `source`; [] when none. */
export function fetchMeasuredSpecsOf(store: Store, source: string): Promise<MeasuredSpecRow[]> {
  return named(`fetchMeasuredSpecsOf(${source})`, async () => {
    const ids = await store.query<{ model_id: string }>(sql`
      SELECT m.model_id FROM models m JOIN runs r ON r.model_id = m.model_id
      WHERE (m.source = ${source} OR m.model_id = ${source}) AND r.kind = 'eval'
      GROUP BY m.model_id ORDER BY max(r.started_at) DESC`);
    for (const { model_id } of ids) {
      const rows = await fetchMeasuredSpecs(store, model_id);
      if (rows.length) return rows;
    }
    return [];
  });
}
