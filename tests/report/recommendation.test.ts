/**
 * The recommendation section and the predicted columns, from a result in lib/recommend's output
 * shape (its CONTRACT keys: recommended, acceptable, avoid, rationale, inputs; specs per spec).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildReport } from "../../lib/report/build.ts";
import type { Num, ReportDoc, Table } from "../../lib/report/model.ts";
import type { RecommendationView, SpecView } from "../../lib/report/recommendation-view.ts";
import { renderMarkdown } from "../../lib/report/render/markdown.ts";
import { recommendationLine } from "../../lib/report/sections/recommendation.ts";
import { openNodeStore } from "../../lib/store/node.ts";
import type { Store } from "../../lib/store/store.ts";
import { GOLDEN_DATE, loadInput, STORIES_MODEL_ID } from "./helpers.ts";

const spec = (s: string, bucket: string, evidence: string[], drop: number | null, sqnr: number | null): SpecView => ({
  spec: s, bucket, basis: "rule", reason: `rule r1 decides ${s}`, rules: [], evidence, confidence: { value: 0.62, label: "medium" },
  aggregate: drop === null ? null : { scope: "dialogue, models under 13B", pairs: 4, rows: 8, mean_rel_drop_pct: drop, max_rel_drop_pct: drop * 2 },
  predicted: sqnr === null ? null : { worst_sqnr_db: sqnr, mean_sqnr_db: sqnr + 3, worst: "model.layers.0.self_attn.o_proj.weight", tensors: 35 },
});

const REC: RecommendationView = {
  recommended: ["W8", "W8A8", "KV8"], acceptable: ["W4"], avoid: ["W3", "KV4"],
  rationale: [{ rule: "w8-safe", text: "W8 keeps accuracy on every task", specs: ["W8"], evidence: ["qe_0002", "qe_0001"] }],
  inputs: { params_b: 0.00026, family: null, task: "dialogue", context: 512, target: "all" },
  specs: [spec("W8", "recommended", ["qe_0001"], 0.2, 40.1), spec("W4", "acceptable", ["qe_0003"], 4.5, 15.3), spec("W3", "avoid", [], null, 8.2)],
};

describe("buildReport(store, subject, { recommendation })", () => {
  let store: Store, doc: ReportDoc;
  beforeAll(async () => {
    store = await loadInput(await openNodeStore());
    doc = await buildReport(store, { modelId: STORIES_MODEL_ID }, { now: GOLDEN_DATE, recommendation: REC });
  });
  afterAll(() => store?.close());

  it("puts predicted SQNR, evidence drop, bucket and confidence beside each measured spec", () => {
    const t = doc.sections.find((s) => s.id === "sensitivity")!.blocks.find((b): b is Table => b.kind === "table")!;
    expect(t.columns.map((c) => c.label).slice(-4)).toEqual(["predicted worst SQNR (dB)", "evidence drop", "bucket", "confidence"]);
    const w4 = t.rows.find((r) => (r[0] as { text: string }).text === "W4")!;
    expect((w4[6] as Num).value).toBe(15.3);
    expect((w4[7] as Num)).toMatchObject({ value: 0.045, source: { evidence: ["qe_0003"] } });
    expect(w4[8]).toBe("acceptable");
    const kv8 = t.rows.find((r) => (r[0] as { text: string }).text === "KV8")!;
    expect(kv8.slice(6)).toEqual(["n/a", "n/a", "n/a", "n/a"]);
  });

  it("writes the buckets, rules with citations, and lists every cited evidence row in the appendix", () => {
    const md = renderMarkdown(doc).markdown;
    expect(md).toContain("Recommended: `W8`, `W8A8`, `KV8`. Acceptable: `W4`. Avoid: `W3`, `KV4`.");
    expect(md).toContain("- `w8-safe`: W8 keeps accuracy on every task \\[qe\\_0002, qe\\_0001\\]");
    expect(doc.evidence).toEqual(["qe_0001", "qe_0002", "qe_0003"]);
    expect(recommendationLine(REC)).toBe("recommended: W8, W8A8, KV8; acceptable: W4; avoid: W3, KV4");
  });
});
