/**
 * The what-if errors of a statistics run (table quant_errors): asymmetric RTN relative MSE and
 * SQNR per linear weight per what-if spec (lib/quant/whatif.ts), so a reopened run, a bundle or a
 * reload shows the same SQNR columns and what-if grid as the live analysis. An exact round trip
 * (SQNR +Infinity) is stored as sqnr_db NULL with rel_mse 0 (a DOUBLE parameter cannot carry
 * Infinity through duckdb-wasm's JSON parameters), and read back as +Infinity.
 */
import { WHATIF_BITS, WHATIF_GROUP_SIZES, weightSpec, type SpecQuantError } from "../quant/whatif.ts";
import type { Row, Store } from "./store.ts";

/** Records the errors of every weight of run `runId` (by tensor name), in one insert. */
export async function saveQuantErrors(store: Store, runId: string, modelId: string, byName: Record<string, SpecQuantError[]>): Promise<void> {
  const rows = Object.entries(byName).flatMap(([name, errors]) => errors.map((e) => ({
    run_id: runId, model_id: modelId, name, spec: e.spec,
    rel_mse: Number.isFinite(e.relMse) ? e.relMse : null,
    sqnr_db: Number.isFinite(e.sqnrDb) ? e.sqnrDb : null,
  })));
  if (rows.length) await store.insert("quant_errors", rows);
}

/** Where each what-if spec comes in whatifErrors' order (group sizes outer, bits inner). */
const GRID_ORDER = new Map(WHATIF_GROUP_SIZES.flatMap((g) => WHATIF_BITS.map((b) => weightSpec(b, g))).map((s, i) => [s, i]));
const rank = (spec: unknown) => GRID_ORDER.get(String(spec)) ?? GRID_ORDER.size;

/** quant_errors rows (from the store or a bundle, any order) as the analysis holds them: by tensor name, in grid order. */
export function quantErrorsFromRows(rows: Row[]): Record<string, SpecQuantError[]> {
  const out: Record<string, SpecQuantError[]> = {};
  for (const r of [...rows].sort((a, b) => rank(a.spec) - rank(b.spec) || String(a.spec).localeCompare(String(b.spec)))) {
    const relMse = r.rel_mse === null || r.rel_mse === undefined ? Number.NaN : Number(r.rel_mse);
    const sqnrDb = r.sqnr_db === null || r.sqnr_db === undefined ? (relMse === 0 ? Number.POSITIVE_INFINITY : Number.NaN) : Number(r.sqnr_db);
    (out[String(r.name)] ??= []).push({ spec: String(r.spec), relMse, sqnrDb });
  }
  return out;
}
