/**
 * The explorer's named reads on the loaded evidence (Node DuckDB), checked against the same
 * figures computed in TypeScript from the loader's parsed rows (no SQL).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEvidence } from "../../lib/evidence/load.ts";
import { loadEvidence } from "../../lib/evidence/load.ts";
import { readEvidenceTexts } from "../../lib/evidence/node.ts";
import {
  ANY_FILTER, fetchDropGrid, fetchExplorerFacets, fetchExplorerRows, fetchLongContextByLength, fetchLongContextByPosition, fetchPrecisionPoints,
} from "../../lib/store/evidence-explorer.ts";
import { openNodeStore } from "../../lib/store/node.ts";
import type { Row, Store } from "../../lib/store/store.ts";

/** SQL and TypeScript sum doubles in different orders */
const MEAN_DIGITS = 9;
const texts = await readEvidenceTexts();
const parsed = parseEvidence(texts).results;
const opt = { ...ANY_FILTER, family: "OPT", dataset: "lambada" };

describe("evidence explorer reads", () => {
  let store: Store;
  beforeAll(async () => { store = await openNodeStore(); await loadEvidence(store, texts); }, 60_000);
  afterAll(() => store.close());

  it("fetchExplorerFacets(store) lists every family and the bit widths 16 down to 2", async () => {
    const f = await fetchExplorerFacets(store);
    expect(f.families).toContain("OPT");
    expect(f.families).toContain("LLaMA3");
    expect(f.bits).toEqual(expect.arrayContaining([2, 3, 4, 8, 16]));
    expect(f.targets).toEqual(expect.arrayContaining(["W", "WA", "KV", "none"]));
    expect(f.size_min_b).toBe(0.125);
  });

  it("fetchExplorerRows(store, filter) returns exactly the rows the filter names, with their source", async () => {
    const rows = await fetchExplorerRows(store, opt);
    const expected = parsed.filter((r: Row) => r.family === "OPT" && r.dataset === "lambada" && r.metric === "accuracy" && r.value !== null && (r.fp16_value as number) > 0);
    expect(rows.map((r) => r.row_id).sort()).toEqual(expected.map((r) => r.row_id as string).sort());
    expect(rows.every((r) => r.source.startsWith("qllm-eval:"))).toBe(true);
    const narrower = await fetchExplorerRows(store, { ...opt, bits: 4 });
    expect(narrower.length).toBeGreaterThan(0);
    expect(narrower.length).toBeLessThan(rows.length);
    expect(narrower.every((r) => r.bits === 4)).toBe(true);
  });

  it("fetchPrecisionPoints(store, filter) averages a model's rows at one precision, FP16 over the same rows", async () => {
    const points = await fetchPrecisionPoints(store, opt);
    const p = points.find((x) => x.model === "OPT-125M" && x.quant_target === "W" && x.bits === 4)!;
    const rows = parsed.filter((r) => r.model === "OPT-125M" && r.dataset === "lambada" && r.quant_target === "W" && r.w_bits === 4 && r.metric === "accuracy");
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(p.rows).toBe(rows.length);
    expect(p.value).toBeCloseTo(mean(rows.map((r) => r.value as number)), MEAN_DIGITS);
    expect(p.rel_pct).toBeCloseTo(mean(rows.map((r) => (r.value as number) / (r.fp16_value as number) * 100)), MEAN_DIGITS);
  });

  it("fetchDropGrid(store, filter) gives one cell per model and spec, W2 losing more than W8", async () => {
    const cells = await fetchDropGrid(store, opt);
    const at = (spec: string) => cells.find((c) => c.model === "OPT-6.7B" && c.spec === spec)!;
    expect(new Set(cells.map((c) => `${c.model}|${c.spec}`)).size).toBe(cells.length);
    expect(at("W2").drop_pct).toBeGreaterThan(at("W8").drop_pct);
    expect(Math.abs(at("W8").drop_pct)).toBeLessThan(2);
  });

  it("fetchLongContextByLength and ByPosition read the len_Nk and pos_i_of_n buckets", async () => {
    const byLen = await fetchLongContextByLength(store, ANY_FILTER);
    expect([...new Set(byLen.map((p) => p.x))].sort((a, b) => a - b)).toEqual([4, 6, 9, 11, 13, 16]);
    const byPos = await fetchLongContextByPosition(store, ANY_FILTER);
    const xs = new Set(byPos.map((p) => p.x));
    expect(xs.has(0) && xs.has(1) && xs.has(0.5)).toBe(true);
    expect(byPos.every((p) => p.value >= 0 && p.value <= 100)).toBe(true);
    expect(new Set(byPos.map((p) => p.bench))).toEqual(new Set(["longeval", "litm"]));
    // LongEval 16k has 10 positions, lost in the middle 5 or 7 (a position repeated in both counts is one x)
    expect(new Set(byPos.filter((p) => p.bench === "longeval").map((p) => p.x)).size).toBe(10);
  });
});
