/** buildComparison(store, a, b): tensor statistics side by side with b - a differences, eval deltas, a diverging heatmap. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildComparison } from "../../lib/report/compare.ts";
import type { Figure, Num, ReportDoc, Table } from "../../lib/report/model.ts";
import { renderHtml } from "../../lib/report/render/html.ts";
import { renderMarkdown } from "../../lib/report/render/markdown.ts";
import type { RecommendationView } from "../../lib/report/recommendation-view.ts";
import { openNodeStore } from "../../lib/store/node.ts";
import type { Row, Store } from "../../lib/store/store.ts";
import { main } from "../../lib/cli/main.ts";
import { captureEffects } from "../helpers/capture.ts";
import { GOLDEN_DATE, HOSTILE_TENSOR, hostileInput, loadInput, readInput } from "./helpers.ts";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { hasChromium } from "../helpers/app-server.ts";

const PDFTOTEXT = "/usr/bin/pdftotext";
/** Markdown with its code spans removed (as tests/report/escape.test.ts): a run of N backticks up to the next run of exactly N. */
const outsideCode = (md: string) => md.replace(/(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, "");

const input = readInput();
const runOf = (kind: string) => (input.runs as Array<{ run_id: string; kind: string }>).find((r) => r.kind === kind)!.run_id;
const STATS = runOf("stats"), EVAL = runOf("eval");
const B = "00000000-0000-4000-8000-00000000000b";
/** The tensor whose kurtosis run b raises by exactly 1.5. */
const CHANGED = "model.layers.2.mlp.down_proj.weight";

/** Run b: a copy of the statistics run with one tensor's kurtosis + 1.5 and one tensor missing. */
function runB(from: Record<string, Row[]> = input): Record<string, Row[]> {
  const stats = (from.tensor_stats as Row[]).filter((r) => r.name !== "model.norm.weight")
    .map((r) => ({ ...r, run_id: B, kurtosis: r.name === CHANGED ? (r.kurtosis as number) + 1.5 : r.kurtosis }));
  return { runs: [{ ...(from.runs as Row[]).find((r) => r.run_id === STATS)!, run_id: B }], tensor_stats: stats };
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

  it("sets W4 of one eval run against W4-awq of another (one quantization by two methods) with its deltas", async () => {
    const C = "00000000-0000-4000-8000-00000000000c";
    const results = (input.run_results as Row[]).filter((r) => r.run_id === EVAL && (r.spec === "FP32" || r.spec === "W4"))
      .map((r) => ({ ...r, run_id: C, spec: r.spec === "W4" ? "W4-awq" : r.spec, value: r.spec === "W4" && r.metric === "kl" ? (r.value as number) / 2 : r.value }));
    const s = await loadInput(await loadInput(await openNodeStore()), { runs: [{ ...(input.runs as Row[]).find((r) => r.run_id === EVAL)!, run_id: C }], run_results: results });
    try {
      const t = tableOf(await buildComparison(s, EVAL, C, { now: GOLDEN_DATE }), "compare-eval");
      const w4 = t.rows.find((r) => (r[0] as { text: string }).text === "W4 → W4-awq")!;
      const kl = (input.run_results as Row[]).find((r) => r.run_id === EVAL && r.spec === "W4" && r.metric === "kl")!.value as number;
      expect((w4[6] as Num).value).toBeCloseTo(-kl / 2, 12);
      expect((w4[3] as Num).value).toBe(0); // ppl unchanged in the copy
      expect(t.rows).toHaveLength(8); // a's eight specs; b's two are both matched
    } finally {
      await s.close();
    }
  });

  it("shades the difference columns on a diverging scale in HTML: the largest change full red, no change near white", () => {
    const t = tableOf(doc, "compare-tensors");
    expect(t.diverging).toEqual([3, 6, 7]);
    const html = renderHtml(doc);
    const rows = html.slice(html.indexOf('<table id="compare-tensors">')).split("</tr>");
    // row 1 (after the head): the changed tensor, Δ kurtosis = +1.5 = the column's largest |value|: the ramp's red end
    expect(rows[1]).toContain('style="background:#b2182b;color:#ffffff"><span class="num"');
    expect(rows[2]).toContain('style="background:#f7f7f7;color:#111827"');
  });

  it("names each side's recommendation in one line", async () => {
    const rec = (recommended: string[], avoid: string[]): RecommendationView => ({ recommended, acceptable: [], avoid, rationale: [], specs: [],
      inputs: { params_b: 0.00026, family: null, task: "dialogue", context: 512, target: "all" } });
    const d = await buildComparison(store, STATS, B, { now: GOLDEN_DATE, recommendations: [rec(["W8"], ["W2"]), rec(["W8", "W4"], [])] });
    expect(tableOf(d, "compare-recommendation").rows).toEqual([["a", "recommended: W8; avoid: W2"], ["b", "recommended: W8, W4"]]);
  });

  it("gives eval deltas of 0 when both sides hold the same eval run", async () => {
    const same = await buildComparison(store, EVAL, EVAL, { now: GOLDEN_DATE });
    const t = tableOf(same, "compare-eval");
    expect(t.rows.length).toBe(8);
    for (const r of t.rows) expect([(r[3] as Num).value, (r[6] as Num).value]).toEqual([0, 0]);
  });

  it("keeps a tensor named <img src=x onerror=alert(1)> as text in the comparison's Markdown and HTML", async () => {
    const hostile = hostileInput();
    const s = await loadInput(await loadInput(await openNodeStore(), hostile), runB(hostile));
    try {
      const d = await buildComparison(s, STATS, B, { now: GOLDEN_DATE });
      const html = renderHtml(d);
      expect(html).not.toMatch(/<(img|script)/i);
      expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
      const md = renderMarkdown(d, { figures: "files" });
      expect(md.markdown).toContain(`\`${HOSTILE_TENSOR}\``); // a code span: GitHub shows it as text
      expect(outsideCode(md.markdown)).not.toMatch(/<(img|script)/i);
      for (const svg of Object.values(md.files)) expect(svg).not.toMatch(/<(img|script)/i);
    } finally {
      await s.close();
    }
  });

  it.skipIf(!hasChromium || !existsSync(PDFTOTEXT))("quantlens report --compare --format pdf prints the comparison's sections", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ql-compare-"));
    const s = await loadInput(await loadInput(await openNodeStore(join(dir, "r.duckdb"))), runB());
    await s.close();
    const fx = captureEffects();
    expect(await main(["report", "--compare", STATS, B, "--db", join(dir, "r.duckdb"), "--out", join(dir, "c.pdf")], fx), fx.stderr()).toBe(0);
    const text = execFileSync(PDFTOTEXT, ["-layout", join(dir, "c.pdf"), "-"], { encoding: "utf8" });
    expect(readFileSync(join(dir, "c.pdf")).subarray(0, 5).toString()).toBe("%PDF-");
    for (const h of ["Runs compared", "Statistics per tensor", "Eval metrics per spec", "Recommendations side by side", "tensors whose kurtosis changed most"]) expect(text).toContain(h);
  }, 60_000);

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
