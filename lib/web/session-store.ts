/**
 * The dashboard's store: duckdb-wasm with its database file in the origin private file system
 * (`opfs://quantlens.duckdb`), so runs survive a reload. When OPFS cannot be opened (another
 * tab holds the file, or the browser has no OPFS) it falls back to an in-memory database and
 * says so. Also: the Runs list, reopening a run, and result bundles in and out.
 */
import * as duckdb from "@duckdb/duckdb-wasm";
import { BundleRunExistsError, collectRunRows, importBundle, readBundle, writeBundle } from "../share/bundle.ts";
import { checkpoint, latestStatsRunOf, listStatsRuns, type RunListRow } from "../store/run-queries.ts";
import type { Store } from "../store/store.ts";
import { openWasmStore, PUBLIC_BUNDLES } from "../store/wasm.ts";
import { VERSION } from "../version.ts";
import { analysisFromRunRows } from "../analysis/live.ts";
import type { ModelAnalysis } from "../analysis/types.ts";
import { deleteRun, listEvalRuns, runningRunIds, type EvalRunListRow } from "../store/eval-run-queries.ts";
import { evalRunView, type EvalRunView } from "./eval-run-view.ts";
import { importReportBundle, isReportBundle, readReportBundle, writeReportBundle } from "../share/report-bundle.ts";
import type { ReportLinkState } from "../share/report-url-state.ts";

/** The database file in the origin private file system. */
export const OPFS_PATH = "opfs://quantlens.duckdb";

/** The store, whether it persists, and the runs a closed tab left "running" when this page opened it (shown as interrupted). */
export interface DashboardStore { store: Store; persistent: boolean; interrupted: Set<string> }

/** PUBLIC_BUNDLES as absolute URLs of this origin (the duckdb worker resolves them itself). */
function bundles(): duckdb.DuckDBBundles {
  const abs = (p: string) => new URL(p, location.origin).href;
  return {
    mvp: { mainModule: abs(PUBLIC_BUNDLES.mvp.mainModule), mainWorker: abs(PUBLIC_BUNDLES.mvp.mainWorker!) },
    eh: { mainModule: abs(PUBLIC_BUNDLES.eh!.mainModule), mainWorker: abs(PUBLIC_BUNDLES.eh!.mainWorker!) },
  };
}

function openEngine(path: string | null): Promise<Store> {
  return openWasmStore({ bundles: bundles(), path: path ?? undefined });
}

/** A private in-memory store of this page (the demo's report is built in one: never the user's runs). */
export function openMemoryStore(): Promise<Store> {
  return openEngine(null);
}

/** Opens the persistent store, or an in-memory one when OPFS is not available. */
export async function openDashboardStore(): Promise<DashboardStore> {
  let store: Store;
  let persistent = true;
  try {
    store = await openEngine(OPFS_PATH);
  } catch {
    store = await openEngine(null);
    persistent = false;
  }
  return { store, persistent, interrupted: new Set(await runningRunIds(store)) };
}

/** A run still "running" that this page did not start: its tab was closed mid-run. */
const shownStatus = (s: DashboardStore, runId: string, status: string) => (status === "running" && s.interrupted.has(runId) ? "interrupted" : status);

/** Every statistics run and every evaluation run, newest first, interrupted ones marked so. */
export async function listAllRuns(s: DashboardStore): Promise<{ stats: RunListRow[]; evals: EvalRunListRow[] }> {
  const stats = (await listStatsRuns(s.store)).map((r) => ({ ...r, status: shownStatus(s, r.run_id, r.status) }));
  const evals = (await listEvalRuns(s.store)).map((r) => ({ ...r, status: shownStatus(s, r.run_id, r.status) }));
  return { stats, evals };
}

/** An evaluation run of the store as the results table shows it. */
export async function reopenEvalRun(s: DashboardStore, runId: string): Promise<EvalRunView> {
  const { rows } = await collectRunRows(s.store, runId);
  const view = evalRunView(rows);
  return { ...view, status: shownStatus(s, runId, view.status) };
}

/** Deletes a run (either kind) and writes the change to the file. */
export async function removeRun(s: DashboardStore, runId: string): Promise<void> {
  await deleteRun(s.store, runId);
  await checkpoint(s.store).catch(() => undefined);
}

export type { EvalRunListRow, EvalRunView };

export { checkpoint, type RunListRow };

/** The ModelAnalysis of a stored run. */
export async function reopenRun(store: Store, runId: string): Promise<ModelAnalysis> {
  const { rows } = await collectRunRows(store, runId);
  return analysisFromRunRows(rows, `quantlens ${VERSION} stats, reopened from this browser's store`);
}

/** The latest finished run of what the user opened as `id` (models.source), if any. */
export const latestRunOf = latestStatsRunOf;

/** A run as a result bundle (bytes to download). */
export function exportRunBundle(store: Store, runId: string): Promise<Uint8Array> {
  return writeBundle(store, runId, `quantlens ${VERSION}`);
}

/** A report (or comparison) as a report bundle: the runs it reads and its inputs. */
export function exportReportBundle(store: Store, link: ReportLinkState): Promise<Uint8Array> {
  return writeReportBundle(store, link, `quantlens ${VERSION}`);
}

/** What an opened bundle shows: a statistics run, an evaluation run's results, or a report with its inputs (and its model's analysis, when it has a statistics run). */
export type OpenedBundle = { kind: "stats"; analysis: ModelAnalysis } | { kind: "eval"; run: EvalRunView } | { kind: "report"; link: ReportLinkState; analysis: ModelAnalysis | null };

/** Reads a report bundle, records its runs the store lacks, and returns its inputs and the analysis of its first statistics run. */
async function openReport(bytes: Uint8Array, store: Store | null): Promise<OpenedBundle> {
  const { link, runs } = await readReportBundle(bytes);
  if (!store) throw new Error("a report bundle needs this browser's result store, which could not be opened");
  await importReportBundle(store, runs);
  await checkpoint(store);
  const first = link.run ?? link.compare![0];
  const stats = runs.find((r) => r.runId === first && r.rows.runs[0]?.kind === "stats") ?? runs.find((r) => r.rows.runs[0]?.kind === "stats");
  return { kind: "report", link, analysis: stats ? analysisFromRunRows(stats.rows, `quantlens ${VERSION} stats, opened from a shared report bundle`) : null };
}

/** Reads a bundle (validated), records it in the store when there is one, and returns its analysis (a statistics run), its results (an evaluation run) or its report. */
export async function openBundle(bytes: Uint8Array, store: Store | null): Promise<OpenedBundle> {
  if (isReportBundle(bytes)) return openReport(bytes, store);
  const { rows } = await readBundle(bytes);
  if (store) {
    try {
      await importBundle(store, rows);
      await checkpoint(store);
    } catch (e) {
      // opened before (a reload of a ?bundle= link): the store keeps its run untouched
      if (!(e instanceof BundleRunExistsError)) throw e;
    }
  }
  if (rows.runs[0]?.kind === "eval") return { kind: "eval", run: evalRunView(rows) };
  return { kind: "stats", analysis: analysisFromRunRows(rows, `quantlens ${VERSION} stats, opened from a shared result bundle`) };
}
