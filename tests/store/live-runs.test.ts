/**
 * Issue 12, class 8: a run left "running" by a process that was killed (a row no live process
 * of ours started) is shown as interrupted by fetchRuns, by the dashboard's Runs list, and
 * noted by the CLI when it opens that store; a run this process is running stays "running".
 */
import { join } from "node:path";
import { expect, it } from "vitest";
import { main } from "../../lib/cli/main.ts";
import { listStatsRuns as listRuns } from "../../lib/store/run-queries.ts";
import { openNodeStore } from "../../lib/store/node.ts";
import { fetchRuns, finishRun, startRun } from "../../lib/store/queries.ts";
import { captureEffects } from "../helpers/capture.ts";
import { tinyConfig, tinyLlama, tmpDir, writeModelDir } from "../helpers/make-safetensors.ts";

it("runs left running by a killed process show as interrupted in fetchRuns, listRuns and the CLI", { timeout: 60_000 }, async () => {
  const dir = tmpDir("ql-live-");
  const db = join(dir, "results.duckdb");
  const store = await openNodeStore(db);
  // what a SIGKILLed `quantlens stats --db` leaves: the row startRun wrote, never finished
  await store.insert("runs", [{ run_id: "killed", model_id: null, kind: "stats", tool_version: "t", started_at: "2026-01-01T00:00:00Z", status: "running" }]);
  const live = await startRun(store, { modelId: null, kind: "stats", toolVersion: "t" });
  const status = async () => Object.fromEntries((await fetchRuns(store)).map((r) => [r.run_id, r.status]));
  expect(await status()).toEqual({ killed: "interrupted", [live]: "running" });
  expect(Object.fromEntries((await listRuns(store)).map((r) => [r.run_id, r.status]))).toEqual({ killed: "interrupted", [live]: "running" });
  await finishRun(store, live, "done");
  expect((await status())[live]).toBe("done");
  await store.close();

  const folder = join(dir, "tiny");
  writeModelDir(folder, tinyLlama(), tinyConfig(true));
  const fx = captureEffects();
  expect(await main(["stats", folder, "--db", db, "--no-progress"], fx), fx.stderr()).toBe(0);
  expect(fx.stderr()).toMatch(/1 earlier run\(s\) in .*results\.duckdb were interrupted .*killed/);
});
