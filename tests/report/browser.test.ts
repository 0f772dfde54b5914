/**
 * The standalone HTML in Chromium: no console errors, no script, every chart draws its data (one
 * [data-value] element per point, the document's values); hostile names stay text in the page.
 * The PDF printed from it (lib/cli/pdf.ts): A4, more than one page, model name and recommendation
 * text in it (pdftotext from poppler-utils).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { htmlToPdf } from "../../lib/cli/pdf.ts";
import { buildReport } from "../../lib/report/build.ts";
import type { Figure, ReportDoc } from "../../lib/report/model.ts";
import { renderHtml } from "../../lib/report/render/html.ts";
import { chartPoints } from "../../lib/report/svg/index.ts";
import { openNodeStore } from "../../lib/store/node.ts";
import { hasChromium, launchBrowser } from "../helpers/app-server.ts";
import { GOLDEN_DATE, HOSTILE_TENSOR, hostileInput, loadInput, STORIES_MODEL_ID } from "./helpers.ts";
import { withEvidence } from "./helpers-evidence.ts";

const PDFTOTEXT = "/usr/bin/pdftotext";

/** The stories260K report; `evidence` adds the recommendation for dialogue from data/evidence. */
async function reportOf(input?: Parameters<typeof loadInput>[1], evidence = false): Promise<ReportDoc> {
  const store = await loadInput(await openNodeStore(), input);
  if (evidence) await withEvidence(store);
  try { return await buildReport(store, { modelId: STORIES_MODEL_ID }, { now: GOLDEN_DATE, recommendation: evidence ? { task: "dialogue" } : null }); } finally { await store.close(); }
}

const dataOf = (f: Figure): Array<number | null> =>
  f.chart.kind === "heatmap" ? f.chart.cells.map((c) => c.value) : f.chart.kind === "bars" ? f.chart.bars.map((b) => b.value) : f.chart.counts;

describe.skipIf(!hasChromium)("renderHtml(doc) in Chromium", () => {
  let browser: Browser, doc: ReportDoc, html: string;
  beforeAll(async () => {
    browser = await launchBrowser();
    doc = await reportOf(undefined, true);
    html = renderHtml(doc);
  }, 60_000);
  afterAll(() => browser?.close());

  it("opens offline with no console error and no script, and every chart has its data", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    page.on("pageerror", (e) => errors.push(e.message));
    const requests: string[] = [];
    page.on("request", (r) => { if (!r.url().startsWith("data:") && r.url() !== "about:blank") requests.push(r.url()); });
    await page.setContent(html, { waitUntil: "load" });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.locator("script").count()).toBe(0);
    const figures = doc.sections.flatMap((s) => s.blocks).filter((b): b is Figure => b.kind === "figure");
    expect(figures.map((f) => f.chart.kind).sort()).toEqual(["bars", "heatmap", "histogram"]);
    for (const f of figures) {
      const drawn = await page.locator(`figure#${f.id} svg [data-value]`).evaluateAll((els) => els.map((e) => e.getAttribute("data-value")));
      expect(drawn.length, f.id).toBe(chartPoints(f.chart));
      // the heatmap draws row by row, the document lists cells in query order: compare as sorted lists
      const order = (xs: Array<number | null>) => (f.chart.kind === "heatmap" ? [...xs].sort((a, b) => (a ?? Infinity) - (b ?? Infinity)) : xs);
      expect(order(drawn.map((v) => (v === "" ? null : Number(v)))), f.id).toEqual(order(dataOf(f)));
      expect(await page.locator(`figure#${f.id} svg`).boundingBox()).toMatchObject({ width: expect.any(Number) });
    }
    await page.close();
  });

  it("shows a tensor named <img src=x onerror=alert(1)> as text: no img element, no dialog", async () => {
    const page = await browser.newPage();
    let dialogs = 0;
    page.on("dialog", (d) => { dialogs++; void d.dismiss(); });
    await page.setContent(renderHtml(await reportOf(hostileInput())), { waitUntil: "load" });
    expect(await page.locator("img, script").count()).toBe(0);
    expect(await page.locator("body").innerText()).toContain(HOSTILE_TENSOR);
    expect(dialogs).toBe(0);
    await page.close();
  });

  it.skipIf(!existsSync(PDFTOTEXT))("htmlToPdf(html) prints A4 pages holding the model name and the recommendation text", async () => {
    const pdf = await htmlToPdf(html);
    const path = join(mkdtempSync(join(tmpdir(), "ql-report-")), "r.pdf");
    writeFileSync(path, pdf);
    const text = execFileSync(PDFTOTEXT, ["-layout", path, "-"], { encoding: "utf8" });
    const pages = text.split("\f").filter((p) => p.trim()).length;
    expect(pages).toBeGreaterThan(1);
    expect(text).toContain("stories260K.bin");
    const rec = doc.sections.find((x) => x.id === "recommendation")!;
    expect(rec.blocks.length).toBeGreaterThan(1);
    expect(text).toMatch(/Recommended: W8 ?, W8-awq/); // pdftotext may keep the code padding as a space
    expect(text).toMatch(/Avoid: W4 ?, W3 ?, W2/);
    expect(text).toContain("Outlier findings");
    // A4 is 595 x 842 points
    expect(Buffer.from(pdf).toString("latin1")).toMatch(/\/MediaBox \[0 0 59[45]\.\d+ 84[12]\.\d+\]/);
  }, 60_000);
});
