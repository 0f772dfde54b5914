/** Report bundles: the runs a report reads plus its inputs, reopened on another store into the same report. */
import { describe, expect, it } from "vitest";
import { buildReport } from "../../lib/report/build.ts";
import { renderMarkdown } from "../../lib/report/render/markdown.ts";
import { BundleError, writeBundle } from "../../lib/share/bundle.ts";
import { importReportBundle, isReportBundle, readReportBundle, reportRunsOf, writeReportBundle } from "../../lib/share/report-bundle.ts";
import { DEFAULT_REPORT_LINK, type ReportLinkState } from "../../lib/share/report-url-state.ts";
import { openNodeStore } from "../../lib/store/node.ts";
import type { Row, Store } from "../../lib/store/store.ts";
import { GOLDEN_DATE, loadInput, readInput } from "../report/helpers.ts";

const input = readInput();
const runOf = (kind: string) => (input.runs as Array<{ run_id: string; kind: string }>).find((r) => r.kind === kind)!.run_id;
const STATS = runOf("stats"), EVAL = runOf("eval");
const LINK: ReportLinkState = { ...DEFAULT_REPORT_LINK, run: STATS, task: "dialogue", context: 256, memoryGb: 0.5 };

const markdownOf = async (store: Store) =>
  renderMarkdown(await buildReport(store, { runId: STATS }, { now: GOLDEN_DATE, context: 256 })).markdown;

describe("writeReportBundle / readReportBundle / importReportBundle", () => {
  it("carries the statistics run, the eval runs beside it and the inputs; another store reopens the same report", async () => {
    const src = await loadInput(await openNodeStore()), dst = await openNodeStore();
    try {
      expect(await reportRunsOf(src, STATS)).toEqual([STATS, EVAL]);
      const bytes = await writeReportBundle(src, LINK, "test");
      expect(isReportBundle(bytes)).toBe(true);
      const read = await readReportBundle(bytes);
      expect(read.link).toEqual(LINK);
      expect(read.runs.map((r) => r.runId)).toEqual([STATS, EVAL]);
      expect(await importReportBundle(dst, read.runs)).toEqual([STATS, EVAL]);
      expect(await markdownOf(dst)).toBe(await markdownOf(src));
      // opened twice (a reload of the link): nothing added, no error
      expect(await importReportBundle(dst, (await readReportBundle(bytes)).runs)).toEqual([]);
    } finally {
      await src.close(); await dst.close();
    }
  });

  it("a comparison's bundle carries both runs and what each reads, and the compared pair", async () => {
    const B = "00000000-0000-4000-8000-00000000000b";
    const src = await loadInput(await loadInput(await openNodeStore()), {
      runs: [{ ...(input.runs as Row[]).find((r) => r.run_id === STATS)!, run_id: B, started_at: "2026-12-04T00:00:00Z" }],
      tensor_stats: (input.tensor_stats as Row[]).map((r) => ({ ...r, run_id: B })),
    });
    const dst = await openNodeStore();
    try {
      const read = await readReportBundle(await writeReportBundle(src, { ...DEFAULT_REPORT_LINK, compare: [STATS, B] }, "test"));
      expect(read.link.compare).toEqual([STATS, B]);
      // STATS reads the eval run; B (the newer statistics run) reads it too
      expect(read.runs.map((r) => r.runId)).toEqual([STATS, EVAL, B]);
      expect(await importReportBundle(dst, read.runs)).toEqual([STATS, EVAL, B]);
      expect(Number((await dst.queryRow<{ n: number }>("SELECT count(*) AS n FROM models"))!.n)).toBe(1);
    } finally {
      await src.close(); await dst.close();
    }
  });

  it("a report of an eval run carries that run and its model's statistics run", async () => {
    const src = await loadInput(await openNodeStore());
    try {
      expect(await reportRunsOf(src, EVAL)).toEqual([EVAL, STATS]);
    } finally {
      await src.close();
    }
  });

  it("refuses a result bundle, a manifest naming a run it does not hold, and a run id that is not a run id", async () => {
    const src = await loadInput(await openNodeStore());
    try {
      await expect(readReportBundle(await writeBundle(src, STATS, "test"))).rejects.toThrow("not a quantlens report bundle");
      const bytes = await writeReportBundle(src, LINK, "test");
      const head = new DataView(bytes.buffer).getUint32(12, true);
      const manifest = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + head))) as { report: Row; bundles: Row[] };
      const tamper = async (change: (m: typeof manifest) => void) => {
        const m = structuredClone(manifest);
        change(m);
        const h = new TextEncoder().encode(JSON.stringify(m));
        const out = new Uint8Array(16 + h.length + bytes.length - 16 - head);
        out.set(bytes.subarray(0, 16)); new DataView(out.buffer).setUint32(12, h.length, true);
        out.set(h, 16); out.set(bytes.subarray(16 + head), 16 + h.length);
        return readReportBundle(out);
      };
      await expect(tamper((m) => { m.bundles = m.bundles.slice(1); })).rejects.toThrow(`the report's run ${STATS} is not in the bundle`);
      await expect(tamper((m) => { m.bundles[0]!.run_id = EVAL; })).rejects.toThrow(`holds run ${STATS}`);
      await expect(tamper((m) => { m.report.run = "<img src=x onerror=alert(1)>"; })).rejects.toThrow(BundleError);
      await expect(tamper((m) => { m.bundles[1]!.length = 1e9; })).rejects.toThrow("past the end");
    } finally {
      await src.close();
    }
  });
});
