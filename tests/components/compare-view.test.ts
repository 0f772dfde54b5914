/** CompareView({ cmp }): both sides, the diverging Δ heatmap and shaded Δ cells, eval deltas; names from model files as text. */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { interpolateRdBu } from "d3";
import { CompareView } from "../../components/compare/compare-view.tsx";
import { loadComparison, type Comparison } from "../../lib/report/compare-load.ts";
import { openNodeStore } from "../../lib/store/node.ts";
import type { Row, Store } from "../../lib/store/store.ts";
import { HOSTILE_TENSOR, hostileInput, loadInput } from "../report/helpers.ts";

const input = hostileInput();
const runOf = (kind: string) => (input.runs as Array<{ run_id: string; kind: string }>).find((r) => r.kind === kind)!.run_id;
const STATS = runOf("stats"), EVAL = runOf("eval");
const B = "00000000-0000-4000-8000-00000000000b";

describe("CompareView({ cmp })", () => {
  let store: Store, cmp: Comparison, html: string;
  beforeAll(async () => {
    // run b: the statistics run again, with the hostile tensor's kurtosis 2 higher
    const stats = (input.tensor_stats as Row[]).map((r) => ({ ...r, run_id: B, kurtosis: r.name === HOSTILE_TENSOR ? (r.kurtosis as number) + 2 : r.kurtosis }));
    store = await loadInput(await loadInput(await openNodeStore(), input), { runs: [{ ...(input.runs as Row[]).find((r) => r.run_id === STATS)!, run_id: B }], tensor_stats: stats });
    cmp = await loadComparison(store, STATS, B);
    html = renderToStaticMarkup(createElement(CompareView, { cmp }));
  });
  afterAll(() => store?.close());

  it("shows both runs, the tensor counts, a heatmap cell per linear and the largest change first, full red", () => {
    expect(html).toContain(`data-testid="compare-side-a"`);
    expect(html).toContain(B);
    expect(html).toContain("48 tensors in both runs, 0 only in a, 0 only in b.");
    expect(html.match(/data-testid="heat-cell"/g)).toHaveLength(35);
    const first = html.slice(html.indexOf('data-testid="compare-tensor-row"'));
    expect(first.slice(0, 200)).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(first).toMatch(new RegExp(`style="background:${interpolateRdBu(0).replace(/[()]/g, "\\$&")};color:#ffffff" data-delta="kurtosis" data-value="2"`));
  });

  it("lists the model's eval specs on both sides (a statistics run reads every eval run of its model), every delta 0", () => {
    expect(html.match(/data-testid="compare-eval-row"/g)).toHaveLength(8);
    expect(cmp.evals.every((e) => e.a?.run_id === EVAL && e.d_kl === 0)).toBe(true);
    expect(html).toContain("No recommendation: the published evidence could not be loaded");
  });

  it("keeps a tensor named <img src=x onerror=alert(1)> as text, never an element", () => {
    expect(html).not.toMatch(/<img|<script/i);
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });
});
