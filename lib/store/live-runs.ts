/**
 * Which runs are really running. A run row says "running" from startRun until finishRun; a
 * process killed in between leaves it so forever. A store file is held by one process at a
 * time (DuckDB's file lock in Node, one OPFS handle per origin in the browser), so a "running"
 * run that this JS context did not start was left by a process that ended: it is shown as
 * "interrupted" (a display status: the row is not rewritten).
 */
import type { Store } from "./store.ts";

const live = new Set<string>();

/** Called by startRun / finishRun. */
export function markRunLive(runId: string, isLive: boolean): void {
  if (isLive) live.add(runId);
  else live.delete(runId);
}

/** The status to show: "interrupted" for a "running" run no live process of ours is running. */
export function displayStatus(status: string, runId: string): string {
  return status === "running" && !live.has(runId) ? "interrupted" : status;
}

/** Run ids of `store` left running by a process that ended. */
export async function interruptedRuns(store: Store): Promise<string[]> {
  const rows = await store.query<{ run_id: string }>("SELECT run_id FROM runs WHERE status = 'running' ORDER BY started_at");
  return rows.map((r) => r.run_id).filter((id) => !live.has(id));
}
