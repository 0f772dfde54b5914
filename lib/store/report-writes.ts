/** Appends a rendered report to the reports table (results are append-only: each report is a new row). */
import { named } from "./queries.ts";
import type { Store } from "./store.ts";

/** A rendered report kept in the store (reports table): what it was about, how, and its Markdown. */
export interface SavedReport { modelId: string | null; runId: string | null; kind: string; title: string; toolVersion: string; body: string; params: unknown }

/** Stores `r` and returns its new report_id. */
export function saveReport(store: Store, r: SavedReport): Promise<string> {
  const reportId = crypto.randomUUID();
  return named(`saveReport(${r.modelId})`, async () => {
    await store.insert("reports", [{
      report_id: reportId, model_id: r.modelId, run_id: r.runId, kind: r.kind, title: r.title, template: "lib/report/build.ts",
      tool_version: r.toolVersion, created_at: new Date().toISOString(), body: r.body, params: r.params ?? null,
    }]);
    return reportId;
  });
}
