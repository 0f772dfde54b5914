/**
 * The dashboard's store: duckdb-wasm with its database file in the origin private file system
 * (`opfs://quantlens.duckdb`), so runs survive a reload. When OPFS cannot be opened (another
 * tab holds the file, or the browser has no OPFS) it falls back to an in-memory database and
 * says so. Also: the Runs list, reopening a run, and result bundles in and out.
 */
import * as duckdb from "@duckdb/duckdb-wasm";
import { collectRunRows, importBundle, readBundle, writeBundle } from "../share/bundle.ts";
import { checkpoint, latestStatsRunOf, listStatsRuns, type RunListRow } from "../store/run-queries.ts";
import type { Store } from "../store/store.ts";
import { openWasmStore, PUBLIC_BUNDLES } from "../store/wasm.ts";
import { VERSION } from "../version.ts";
import { analysisFromRunRows } from "../analysis/live.ts";
import type { ModelAnalysis } from "../analysis/types.ts";

/** The database file in the origin private file system. */
export const OPFS_PATH = "opfs://quantlens.duckdb";

export interface DashboardStore { store: Store; persistent: boolean }

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

/** Opens the persistent store, or an in-memory one when OPFS is not available. */
export async function openDashboardStore(): Promise<DashboardStore> {
  try {
    return { store: await openEngine(OPFS_PATH), persistent: true };
  } catch {
    return { store: await openEngine(null), persistent: false };
  }
}

export { checkpoint, type RunListRow };

/** Every statistics run, newest first, with its model and how many tensors it stored. */
export const listRuns = listStatsRuns;

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

/** Reads a bundle (validated), records it in the store when there is one, and returns its analysis. */
export async function openBundle(bytes: Uint8Array, store: Store | null): Promise<ModelAnalysis> {
  const { rows } = await readBundle(bytes);
  if (store) {
    await importBundle(store, rows);
    await checkpoint(store);
  }
  return analysisFromRunRows(rows, `quantlens ${VERSION} stats, opened from a shared result bundle`);
}
