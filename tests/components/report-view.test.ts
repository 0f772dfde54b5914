/** ReportView (the dashboard's renderer of the report model): the same sections and numbers, names as text, charts as inert images. */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReportView } from "../../components/report/report-view.tsx";
import { buildReport } from "../../lib/report/build.ts";
import type { ReportDoc } from "../../lib/report/model.ts";
import { openNodeStore } from "../../lib/store/node.ts";
import type { Store } from "../../lib/store/store.ts";
import { GOLDEN_DATE, HOSTILE_TENSOR, hostileInput, loadInput, STORIES_MODEL_ID } from "../report/helpers.ts";

describe("ReportView({ doc })", () => {
  let store: Store, doc: ReportDoc;
  beforeAll(async () => {
    store = await loadInput(await openNodeStore(), hostileInput());
    doc = await buildReport(store, { modelId: STORIES_MODEL_ID }, { now: GOLDEN_DATE });
  });
  afterAll(() => store?.close());

  it("renders every section and every figure, each chart as an SVG data-URL image", () => {
    const html = renderToStaticMarkup(createElement(ReportView, { doc }));
    for (const s of doc.sections) expect(html).toContain(`id="${s.id}"`);
    expect(html.match(/<img src="data:image\/svg\+xml;charset=utf-8,/g)).toHaveLength(3);
    expect(html).toContain("7,289"); // the eval text's predicted tokens, from query eval_results
  });

  it("shows a tensor named <img src=x onerror=alert(1)> as text, never as an element", () => {
    const html = renderToStaticMarkup(createElement(ReportView, { doc }));
    expect(html).not.toMatch(/<img(?! src="data:image\/svg\+xml)/);
    expect(html).not.toMatch(/<script/);
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    // inside the chart data URLs the name is escaped SVG text, then URL-encoded
    const svgs = [...html.matchAll(/src="data:image\/svg\+xml;charset=utf-8,([^"]+)"/g)].map((m) => decodeURIComponent(m[1]!.replace(/&amp;/g, "&")));
    expect(svgs.some((s) => s.includes(`data-name="${HOSTILE_TENSOR.replace(/</g, "&lt;").replace(/>/g, "&gt;")}"`))).toBe(true);
  });
});
