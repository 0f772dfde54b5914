/**
 * The dashboard's reports, built in this browser from its store (duckdb-wasm) as lib/report builds
 * them: the report of the model on screen (the link's run when it is that model's, else its latest
 * statistics run; the embedded demo's from the runs it carries) and the comparison of two runs, each with the recommendation for the link's task,
 * context and budget when the published evidence can be loaded into the store.
 */
import type { ModelAnalysis } from "../analysis/types.ts";
import { DEMO_STORE, seedDemoStore } from "../demo/seed.ts";
import { buildReport, type ReportOptions } from "../report/build.ts";
import { comparisonDoc } from "../report/compare.ts";
import { loadComparison, type Comparison } from "../report/compare-load.ts";
import type { ReportDoc } from "../report/model.ts";
import type { ReportLinkState } from "../share/report-url-state.ts";
import { latestStatsRunOf } from "../store/run-queries.ts";
import type { Store } from "../store/store.ts";

/** Why the page's report has no recommendation when the evidence could not be loaded. */
export const NO_EVIDENCE_NOTE = "The published evidence could not be loaded into this browser's store, so no recommendation was computed: run `quantlens report` for it.";

/** Loads the evidence (lib/web/evidence.ts) for the recommendation; false when it cannot be had. */
export type EvidenceLoader = (store: Store) => Promise<boolean>;

/** The run of `link` when it is a run of the model opened as `source`, else that model's latest statistics run. */
export async function reportRunOf(store: Store, source: string, link: Pick<ReportLinkState, "run">): Promise<string | null> {
  if (link.run) {
    const m = await store.queryRow<{ id: string }>("SELECT coalesce(m.source, m.name) AS id FROM runs r JOIN models m ON m.model_id = r.model_id WHERE r.run_id = ?", [link.run]);
    if (m?.id === source) return link.run;
  }
  return latestStatsRunOf(store, source);
}

/** The report of the model opened as `source` and the run it reports, or null when the store holds no run of it. */
export async function reportOfSource(store: Store, source: string, opts: ReportOptions & { link?: ReportLinkState; evidence?: EvidenceLoader } = {}): Promise<{ doc: ReportDoc; runId: string } | null> {
  const link = opts.link;
  const runId = await reportRunOf(store, source, link ?? { run: null });
  if (!runId) return null;
  const evidence = opts.evidence ? await opts.evidence(store) : false;
  const doc = await buildReport(store, { runId }, {
    recommendationNote: NO_EVIDENCE_NOTE, ...opts, context: link?.context ?? opts.context,
    recommendation: evidence ? { task: link?.task ?? null, memoryGb: link?.memoryGb ?? null } : opts.recommendation,
  });
  return { doc, runId };
}

/** The comparison of runs a and b (differences b - a) as the Compare view draws it, and its report document. */
export async function compareRuns(store: Store, a: string, b: string, link: Partial<ReportLinkState> = {}, evidence?: EvidenceLoader): Promise<{ cmp: Comparison; doc: ReportDoc }> {
  const rec = evidence && (await evidence(store)) ? { task: link.task ?? null, memoryGb: link.memoryGb ?? null } : undefined;
  const cmp = await loadComparison(store, a, b, { context: link.context ?? undefined, recommendations: rec });
  return { cmp, doc: comparisonDoc(cmp) };
}

/** Where the demo's report is built: a fresh store of its own (never the user's runs) and the evidence loaded into it. */
export interface DemoReportStore { open: () => Promise<Store>; loadEvidence: (store: Store) => Promise<unknown> }

/**
 * The report of the embedded demo (a ModelAnalysis with no run in the user's store): its statistics
 * and evaluation run written into a store of its own (lib/demo/seed.ts), with the recommendation the
 * engine gives over the published evidence and those measurements (no task: the CLI's default).
 */
export async function reportOfDemo(a: ModelAnalysis, where: DemoReportStore, opts: ReportOptions = {}): Promise<ReportDoc> {
  const store = await where.open();
  try {
    await seedDemoStore(store, a);
    await where.loadEvidence(store);
    return await buildReport(store, { modelId: DEMO_STORE.modelId }, { recommendation: { task: null }, ...opts });
  } finally {
    await store.close();
  }
}
