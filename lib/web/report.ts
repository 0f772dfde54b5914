/** The dashboard's report of the model on screen: its latest statistics run in this browser's store, as lib/report builds it. */
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
