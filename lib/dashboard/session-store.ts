/**
 * The dashboard's store: duckdb-wasm with its database file in the origin private file system
 * (`opfs://quantlens.duckdb`), so runs survive a reload. When OPFS cannot be opened (another
 * tab holds the file, or the browser has no OPFS) it falls back to an in-memory database and
 * says so. Also: the Runs list, reopening a run, and result bundles in and out.
 */
import * as duckdb from "@duckdb/duckdb-wasm";
import { collectRunRows, importBundle, readBundle, writeBundle } from "../share/bundle.ts";
import type { Store } from "../store/store.ts";
import { openWasmStore, PUBLIC_BUNDLES } from "../store/wasm.ts";
import { VERSION } from "../version.ts";
import { analysisFromRunRows } from "./live.ts";
import type { ModelAnalysis } from "./types.ts";

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

/** Writes the database's WAL into the OPFS file so a reload finds every row. */
export async function checkpoint(store: Store): Promise<void> {
  await store.exec("CHECKPOINT");
}

/** One line of the Runs list. */
export interface RunListRow {
  run_id: string; status: string; started_at: string | null; finished_at: string | null;
  name: string | null; source: string | null; format: string | null; tensors: number; n_tensors: number | null;
}

/** Every statistics run, newest first, with its model and how many tensors it stored. */
export async function listRuns(store: Store): Promise<RunListRow[]> {
  return store.query<RunListRow>(
    `SELECT r.run_id, r.status, r.started_at, r.finished_at, m.name, m.source, m.format, m.n_tensors,
       CAST((SELECT count(*) FROM tensor_stats s WHERE s.run_id = r.run_id) AS INTEGER) AS tensors
     FROM runs r LEFT JOIN models m ON m.model_id = r.model_id
     WHERE r.kind = 'stats' ORDER BY r.started_at DESC, r.run_id`);
}

/** The ModelAnalysis of a stored run. */
export async function reopenRun(store: Store, runId: string): Promise<ModelAnalysis> {
  const { rows } = await collectRunRows(store, runId);
  return analysisFromRunRows(rows, `quantlens ${VERSION} stats, reopened from this browser's store`);
}

/** The latest finished run of what the user opened as `id` (models.source), if any. */
export async function latestRunOf(store: Store, id: string): Promise<string | null> {
  const r = await store.queryRow<{ run_id: string }>(
    `SELECT r.run_id FROM runs r JOIN models m ON m.model_id = r.model_id
     WHERE m.source = ? AND r.status = 'done' AND r.kind = 'stats' ORDER BY r.started_at DESC LIMIT 1`, [id]);
  return r?.run_id ?? null;
}

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
