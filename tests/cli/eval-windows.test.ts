/**
 * `quantlens eval --db` keeps every scored window (run_windows): a window-major run finishes all its
 * specs at the last window, so a run cut off before it keeps its windows instead of nothing.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../lib/cli/main.ts";
import { fetchRunResults } from "../../lib/store/eval-queries.ts";
import { listEvalRuns } from "../../lib/store/eval-run-queries.ts";
import { openNodeStore } from "../../lib/store/node.ts";
import { fetchRuns } from "../../lib/store/queries.ts";
import { fetchWindowResults } from "../../lib/store/window-queries.ts";
import { captureEffects } from "../helpers/capture.ts";
import { fixture } from "../helpers/fixtures.ts";

const SPECS = "FP32,W4,KV4";
const METRICS = ["ppl", "mean_nll", "kl", "top1_agreement"] as const;

async function withStore<T>(db: string, f: (s: Awaited<ReturnType<typeof openNodeStore>>) => Promise<T>): Promise<T> {
  const store = await openNodeStore(db);
  try { return await f(store); } finally { await store.close(); }
}

type WindowRowOut = { spec: string; window_index: number; tokens: number; nll: number; ref_nll: number; kl: number; agree: number };
const windowRows = (db: string, runId: string) => withStore(db, (s) => s.query<WindowRowOut>(
  "SELECT spec, window_index, CAST(tokens AS DOUBLE) AS tokens, nll, ref_nll, kl, CAST(agree AS DOUBLE) AS agree FROM run_windows WHERE run_id = ? ORDER BY window_index, spec", [runId]));

describe("quantlens eval --db: scored windows", () => {
  it("a finished run stores every window, and they merge to its final rows bit for bit", async (ctx) => {
    const [model, tok, text] = await Promise.all([fixture("models/stories260K.bin"), fixture("models/tok512.bin"), fixture("corpora/tinystories_sample.txt")]);
    if (!model || !tok || !text) return ctx.skip();
    const db = join(mkdtempSync(join(tmpdir(), "ql-evalwin-")), "runs.duckdb");
    const fx = captureEffects();
    expect(await main(["eval", model, "--tokenizer", tok, "--text", text, "--spec", SPECS, "--context", "64", "--threads", "1", "--db", db, "--json"], fx), fx.stderr()).toBe(0);
    const out = JSON.parse(fx.stdout()) as Record<string, Record<string, number>>;
    await withStore(db, async (store) => {
      const [run] = await fetchRuns(store);
      const merged = await fetchWindowResults(store, run!.run_id);
      const final = await fetchRunResults(store, run!.run_id);
      expect(merged.map((m) => m.spec).sort()).toEqual(SPECS.split(",").sort());
      for (const m of merged) {
        expect(m.windows).toBeGreaterThan(2);
        expect(m.tokens).toBe(out[m.spec]!.tokens);
        for (const k of METRICS) {
          expect(m[k], `${m.spec} ${k}`).toBe(out[m.spec]![k]);
          expect(final.find((r) => r.spec === m.spec && r.metric === k)!.value).toBe(m[k]);
        }
      }
      const [listed] = await listEvalRuns(store);
      expect(listed).toMatchObject({ results: 3, windows: merged[0]!.windows });
    });
    // two threads: each posts its windows as it scores them; the store holds the same rows
    const db2 = join(mkdtempSync(join(tmpdir(), "ql-evalwin2-")), "runs.duckdb");
    const fx2 = captureEffects();
    expect(await main(["eval", model, "--tokenizer", tok, "--text", text, "--spec", SPECS, "--context", "64", "--threads", "2", "--db", db2, "--json"], fx2), fx2.stderr()).toBe(0);
    expect(fx2.stdout()).toBe(fx.stdout());
    const [one] = await withStore(db, (s) => fetchRuns(s));
    const [two] = await withStore(db2, (s) => fetchRuns(s));
    expect(await windowRows(db2, two!.run_id)).toEqual(await windowRows(db, one!.run_id));
  }, 120_000);

  it("a window-major run cut off mid-way keeps the windows it scored", async (ctx) => {
    const [model, tok, text] = await Promise.all([fixture("models/stories260K.bin"), fixture("models/tok512.bin"), fixture("corpora/tinystories_valid_excerpt.txt")]);
    if (!model || !tok || !text) return ctx.skip();
    const dir = mkdtempSync(join(tmpdir(), "ql-evalcut-"));
    const args = ["eval", model, "--tokenizer", tok, "--text", text, "--spec", SPECS, "--context", "64", "--threads", "1", "--json"];
    // the whole run, for the windows' reference values
    const fullDb = join(dir, "full.duckdb");
    const full = captureEffects();
    expect(await main([...args, "--db", fullDb], full), full.stderr()).toBe(0);
    // the same run, stopped by its progress line once it has scored a few hundred tokens
    const cutDb = join(dir, "cut.duckdb");
    const base = captureEffects();
    const cut = { ...base, isTTY: true, err: (t: string) => {
      const m = /evaluate (\d+)\/(\d+) tokens/.exec(t);
      if (m && Number(m[1]) >= 300) throw new Error("cut off by the test");
      base.err(t);
    } };
    expect(await main([...args, "--db", cutDb], cut)).not.toBe(0);
    const [run] = await withStore(cutDb, (s) => fetchRuns(s));
    expect(run).toMatchObject({ kind: "eval", status: "failed" });
    const kept = await windowRows(cutDb, run!.run_id);
    const [fullRun] = await withStore(fullDb, (s) => fetchRuns(s));
    const all = await windowRows(fullDb, fullRun!.run_id);
    const windows = new Set(kept.map((r) => r.window_index)).size;
    expect(windows).toBeGreaterThan(0);
    expect(windows).toBeLessThan(new Set(all.map((r) => r.window_index)).size);
    expect(kept).toEqual(all.slice(0, kept.length)); // the same sums, window by window, every spec
    await withStore(cutDb, async (store) => {
      expect(await fetchRunResults(store, run!.run_id)).toEqual([]); // no spec finished
      const partial = await fetchWindowResults(store, run!.run_id);
      expect(partial).toHaveLength(3);
      for (const p of partial) expect(p.tokens).toBe(kept.filter((r) => r.spec === p.spec).reduce((s, r) => s + r.tokens, 0));
      const [listed] = await listEvalRuns(store);
      expect(listed).toMatchObject({ results: 0, windows });
    });
  }, 180_000);
});
