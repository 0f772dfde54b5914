/**
 * An evaluation run read back (from the store or a bundle) as the results table shows it: model,
 * specs, the text's summary and one SpecRow per spec with stored results, in the run's spec order.
 */
import type { Row } from "../store/store.ts";
import type { SpecRow } from "./eval-client.ts";

/** A stored evaluation run, ready for EvalResultsTable. */
export interface EvalRunView {
  runId: string; model: string; status: string; specs: string[];
  documents: number | null; tokens: number | null; textSha256: string | null;
  results: SpecRow[];
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** The view of the one run in `rows` (runs, models and run_results rows of a bundle or collectRunRows). */
export function evalRunView(rows: { runs: Row[]; models: Row[]; run_results: Row[] }): EvalRunView {
  const run = rows.runs[0] ?? {};
  const p = (typeof run.params === "string" ? JSON.parse(run.params) : run.params ?? {}) as Record<string, unknown>;
  const asked = Array.isArray(p.specs) ? p.specs.map(String) : String(run.spec ?? "").split(",").filter(Boolean);
  const bySpec = new Map<string, Record<string, number | null>>();
  for (const r of rows.run_results) {
    const m = bySpec.get(String(r.spec)) ?? {};
    m[String(r.metric)] = num(r.value);
    if (r.tokens !== null && r.tokens !== undefined) m.tokens = Number(r.tokens);
    bySpec.set(String(r.spec), m);
  }
  const order = [...asked.filter((s) => bySpec.has(s)), ...[...bySpec.keys()].filter((s) => !asked.includes(s))];
  const results: SpecRow[] = order.map((spec, index) => {
    const m = bySpec.get(spec)!;
    return { spec, canonical: spec, index, elapsedMs: 0, ppl: m.ppl ?? null, mean_nll: m.mean_nll ?? null, kl: m.kl ?? null, top1_agreement: m.top1_agreement ?? null, tokens: m.tokens ?? 0 };
  });
  const model = rows.models[0];
  return {
    runId: String(run.run_id ?? ""), status: String(run.status ?? "done"), specs: asked,
    model: String(model?.source ?? p.model ?? model?.name ?? "model"),
    documents: typeof p.documents === "number" ? p.documents : null, tokens: typeof p.tokens === "number" ? p.tokens : null,
    textSha256: typeof p.text_sha256 === "string" ? p.text_sha256 : null, results,
  };
}
