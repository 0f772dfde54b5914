/** buildReport: every number names a query the appendix lists, and the numbers are the store's own (checked by hand or by a plain query). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildReport, ReportError } from "../../lib/report/build.ts";
import type { Block, Inline, Num, ReportDoc, Table } from "../../lib/report/model.ts";
import { REPORT_QUERIES } from "../../lib/store/report-queries.ts";
import { openNodeStore } from "../../lib/store/node.ts";
import type { Store } from "../../lib/store/store.ts";
import { GOLDEN_DATE, loadInput, readInput, STORIES_MODEL_ID } from "./helpers.ts";

const numsOf = (b: Block): Num[] => {
  const cells: Inline[] = b.kind === "p" ? b.content : b.kind === "list" ? b.items.flat() : b.kind === "table" ? b.rows.flat() : [];
  return cells.filter((x): x is Num => typeof x !== "string" && x.kind === "num");
};
const tableOf = (doc: ReportDoc, id: string) => doc.sections.flatMap((s) => s.blocks).find((b): b is Table => b.kind === "table" && b.id === id)!;
const cell = (t: Table, row: number, col: number) => t.rows[row]![col] as Num;

describe("buildReport(store, subject)", () => {
  let store: Store, doc: ReportDoc;
  const input = readInput();
  const evalRun = (input.runs as Array<{ run_id: string; kind: string }>).find((r) => r.kind === "eval")!.run_id;
  const statsRun = (input.runs as Array<{ run_id: string; kind: string }>).find((r) => r.kind === "stats")!.run_id;
  beforeAll(async () => {
    store = await loadInput(await openNodeStore());
    doc = await buildReport(store, { modelId: STORIES_MODEL_ID }, { now: GOLDEN_DATE });
  });
  afterAll(() => store?.close());

  it("gives every number a source whose queries are named report queries listed in the appendix", () => {
    const listed = new Set(doc.queries.map((q) => q.name));
    const nums = doc.sections.flatMap((s) => s.blocks.flatMap(numsOf));
    expect(nums.length).toBeGreaterThan(100);
    for (const n of nums) {
      expect(n.source.queries.length + (n.source.evidence?.length ?? 0) + (n.source.via ? 1 : 0)).toBeGreaterThan(0);
      for (const q of n.source.queries) { expect(listed.has(q)).toBe(true); expect(q in REPORT_QUERIES).toBe(true); }
    }
    for (const q of doc.queries) expect(q.sql).toBe(REPORT_QUERIES[q.name as keyof typeof REPORT_QUERIES].replace(/\s+/g, " ").trim());
  });

  it("records model, model id, tool version, baseline and runs in the header", () => {
    expect(doc.header).toMatchObject({ model: "../shared/models/stories260K.bin", modelId: STORIES_MODEL_ID, toolVersion: "0.1.0", statsRun, evalRuns: [evalRun], date: "2026-12-03" });
    expect(doc.header.baseline).toMatch(/^FP32/);
  });

  it("writes W4 weight memory as counted by hand for stories260K (g128: rows of 64 or 172 inputs are one group each)", () => {
    // linears per layer: q 64x64, k 32x64, v 32x64, o 64x64, gate 172x64, up 172x64, down 64x172 = 45,312 params; 5 layers
    const linear = 5 * 45_312, params = 260_032, groups = 5 * (64 + 32 + 32 + 64 + 172 + 172 + 64);
    const w4 = (linear * 4) / 8 + groups * 2 * 2 + (params - linear) * 2;
    expect(cell(tableOf(doc, "weight-memory"), 2, 1).value).toBe(w4); // 192,224 bytes
    expect(cell(tableOf(doc, "weight-memory"), 0, 1).value).toBe(params * 2);
    // KV16 at the model's 512 tokens: 2 (K, V) x 5 layers x 4 KV heads x 512 tokens x head_dim 8 x 2 bytes
    expect(cell(tableOf(doc, "kv-memory"), 0, 1).value).toBe(2 * 5 * 4 * 512 * 8 * 2);
  });

  it("shows each spec's stored KL, perplexity and top-1 agreement unchanged", async () => {
    const rows = await store.query<{ spec: string; metric: string; value: number }>("SELECT spec, metric, value FROM run_results WHERE run_id = ?", [evalRun]);
    const t = tableOf(doc, "measured");
    expect(t.rows.length).toBe(new Set(rows.map((r) => r.spec)).size);
    for (const r of t.rows) {
      const spec = (r[0] as { text: string }).text;
      const stored = (m: string) => rows.find((x) => x.spec === spec && x.metric === m)!.value;
      expect([(r[1] as Num).value, (r[4] as Num).value, (r[5] as Num).value]).toEqual([stored("ppl"), stored("kl"), stored("top1_agreement")]);
    }
  });

  it("finds the largest kurtosis of the stored 2-D tensors", async () => {
    const top = await store.queryRow<{ name: string; kurtosis: number }>("SELECT name, kurtosis FROM tensor_stats WHERE run_id = ? AND len(shape) = 2 ORDER BY kurtosis DESC LIMIT 1", [statsRun]);
    const t = tableOf(doc, "top-kurtosis");
    expect((t.rows[0]![0] as { text: string }).text).toBe(top!.name);
    expect((t.rows[0]![1] as Num).value).toBe(top!.kurtosis);
  });

  it("reports one eval run only when given its run id, with the model's statistics run", async () => {
    const one = await buildReport(store, { runId: evalRun }, { now: GOLDEN_DATE });
    expect(one.header).toMatchObject({ statsRun, evalRuns: [evalRun] });
    const fromStats = await buildReport(store, { runId: statsRun }, { now: GOLDEN_DATE });
    expect(fromStats.header.statsRun).toBe(statsRun);
  });

  it("rejects a run id the store does not hold with a ReportError naming it", async () => {
    await expect(buildReport(store, { runId: "no-such-run" })).rejects.toThrow(ReportError);
    await expect(buildReport(store, { runId: "no-such-run" })).rejects.toThrow(/no-such-run/);
  });

  it("says what to run when the store holds no eval results and no statistics", async () => {
    const bare = await openNodeStore();
    try {
      await loadInput(bare, { models: input.models, tensors: input.tensors });
      const d = await buildReport(bare, { modelId: STORIES_MODEL_ID }, { now: GOLDEN_DATE, context: 2048 });
      const text = JSON.stringify(d.sections);
      expect(text).toContain("quantlens eval");
      expect(text).toContain("quantlens stats");
      expect(d.header.evalRuns).toEqual([]);
      expect(cell(tableOf(d, "kv-memory"), 0, 1).value).toBe(2 * 5 * 4 * 2048 * 8 * 2);
    } finally {
      await bare.close();
    }
  });
});
