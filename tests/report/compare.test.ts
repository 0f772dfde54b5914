/** buildComparison(store, a, b): tensor statistics side by side with b - a differences, eval deltas, a diverging heatmap. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildComparison } from "../../lib/report/compare.ts";
import type { Figure, Num, ReportDoc, Table } from "../../lib/report/model.ts";
import { renderMarkdown } from "../../lib/report/render/markdown.ts";
import { openNodeStore } from "../../lib/store/node.ts";
import type { Row, Store } from "../../lib/store/store.ts";
import { main } from "../../lib/cli/main.ts";
import { captureEffects } from "../helpers/capture.ts";
import { GOLDEN_DATE, loadInput, readInput } from "./helpers.ts";

const input = readInput();
const runOf = (kind: string) => (input.runs as Array<{ run_id: string; kind: string }>).find((r) => r.kind === kind)!.run_id;
const STATS = runOf("stats"), EVAL = runOf("eval");
const B = "00000000-0000-4000-8000-00000000000b";
/** The tensor whose kurtosis run b raises by exactly 1.5. */
const CHANGED = "model.layers.2.mlp.down_proj.weight";

/** Run b: a copy of the statistics run with one tensor's kurtosis + 1.5 and one tensor missing. */
function runB(): Record<string, Row[]> {
  const stats = (input.tensor_stats as Row[]).filter((r) => r.name !== "model.norm.weight")
    .map((r) => ({ ...r, run_id: B, kurtosis: r.name === CHANGED ? (r.kurtosis as number) + 1.5 : r.kurtosis }));
  return { runs: [{ ...(input.runs as Row[]).find((r) => r.run_id === STATS)!, run_id: B }], tensor_stats: stats };
}

const tableOf = (doc: ReportDoc, id: string) => doc.sections.flatMap((s) => s.blocks).find((b): b is Table => b.kind === "table" && b.id === id)!;

describe("buildComparison(store, runA, runB)", () => {
  let store: Store, doc: ReportDoc;
  beforeAll(async () => {
    store = await loadInput(await loadInput(await openNodeStore()), runB());
    doc = await buildComparison(store, STATS, B, { now: GOLDEN_DATE });
  });
  afterAll(() => store?.close());

  it("puts the changed tensor first with its difference, and counts tensors on each side", () => {
    const t = tableOf(doc, "compare-tensors");
    expect((t.rows[0]![0] as { text: string }).text).toBe(CHANGED);
    expect((t.rows[0]![3] as Num).value).toBeCloseTo(1.5, 12);
    expect((t.rows[1]![3] as Num).value).toBe(0);
    const md = renderMarkdown(doc).markdown;
    expect(md).toContain("47 tensors are in both runs, 1 only in a, 0 only in b.");
  });

  it("draws the kurtosis change on a diverging heatmap with one cell per quantized linear", () => {
    const fig = doc.sections.flatMap((s) => s.blocks).find((b): b is Figure => b.kind === "figure")!;
    expect(fig.chart).toMatchObject({ kind: "heatmap", colors: "diverging" });
    if (fig.chart.kind !== "heatmap") throw new Error("heatmap expected");
    expect(fig.chart.cells).toHaveLength(35);
    expect(fig.chart.cells.filter((c) => c.value !== 0).map((c) => c.name)).toEqual([CHANGED]);
  });

  it("gives eval deltas of 0 when both sides hold the same eval run", async () => {
    const same = await buildComparison(store, EVAL, EVAL, { now: GOLDEN_DATE });
    const t = tableOf(same, "compare-eval");
    expect(t.rows.length).toBe(8);
    for (const r of t.rows) expect([(r[3] as Num).value, (r[6] as Num).value]).toEqual([0, 0]);
  });

  it("quantlens report --compare <a> <b> --db writes the comparison; one run id alone is a usage error", async () => {
    const db = join(mkdtempSync(join(tmpdir(), "ql-compare-")), "r.duckdb");
    const s = await loadInput(await loadInput(await openNodeStore(db)), runB());
    await s.close();
    const fx = captureEffects();
    expect(await main(["report", "--compare", STATS, B, "--db", db], fx), fx.stderr()).toBe(0);
    expect(fx.stdout()).toContain("# quantlens comparison:");
    expect(fx.stdout()).toContain("## 2. Statistics per tensor");
    const one = captureEffects();
    expect(await main(["report", "--compare", STATS, "--db", db], one)).toBe(2);
    expect(one.stderr()).toContain("give two run ids");
  });
});
