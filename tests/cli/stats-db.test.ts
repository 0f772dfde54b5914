/** `quantlens stats --db` appends a finished run to a DuckDB file; --workers gives the same numbers. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { main } from "../../lib/cli/main.ts";
import { openNodeStore } from "../../lib/store/node.ts";
import { fetchRuns, fetchTensorStats } from "../../lib/store/queries.ts";
import { captureEffects } from "../helpers/capture.ts";
import { fixture } from "../helpers/fixtures.ts";

it("stats(model, --db, --workers 2) stores one finished run whose tensor stats equal the printed JSON", async (ctx) => {
  const model = await fixture("models/stories260K.gguf");
  if (!model) return ctx.skip();
  const db = join(mkdtempSync(join(tmpdir(), "ql-db-")), "runs.duckdb");
  const fx = captureEffects();
  expect(await main(["stats", model, "--json", "--db", db, "--workers", "2"], fx), fx.stderr()).toBe(0);
  const printed = JSON.parse(fx.stdout()) as Array<{ name: string; absmax: number; kurtosis: number }>;
  const single = captureEffects();
  expect(await main(["stats", model, "--json"], single)).toBe(0);
  expect(JSON.parse(single.stdout())).toEqual(printed);

  const store = await openNodeStore(db);
  try {
    const runs = await fetchRuns(store);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ kind: "stats", status: "done" });
    const stored = await fetchTensorStats(store, runs[0]!.run_id);
    expect(stored).toHaveLength(printed.length);
    const byName = new Map(stored.map((s) => [s.name, s]));
    for (const p of printed) {
      expect(byName.get(p.name)?.absmax, p.name).toBe(p.absmax);
      expect(byName.get(p.name)?.kurtosis, p.name).toBe(p.kurtosis);
    }
  } finally {
    await store.close();
  }
});
