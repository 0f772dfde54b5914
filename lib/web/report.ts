/** The dashboard's report of the model on screen: its latest statistics run in this browser's store, as lib/report builds it; the demo's from its embedded runs. */
import type { ModelAnalysis } from "../analysis/types.ts";
import { DEMO_STORE, seedDemoStore } from "../demo/seed.ts";
import { buildReport, type ReportOptions } from "../report/build.ts";
import type { ReportDoc } from "../report/model.ts";
import { latestStatsRunOf } from "../store/run-queries.ts";
import type { Store } from "../store/store.ts";

/** The report of the model opened as `source` (ModelAnalysis.id), or null when the store holds no statistics run of it. */
export async function reportOfSource(store: Store, source: string, opts: ReportOptions = {}): Promise<ReportDoc | null> {
  const runId = await latestStatsRunOf(store, source);
  if (!runId) return null;
  return buildReport(store, { runId }, {
    recommendationNote: "The recommendation needs the published evidence, which this page does not load yet: run `quantlens report` for it.", ...opts,
  });
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
