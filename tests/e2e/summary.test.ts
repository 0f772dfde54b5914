/**
 * The first page in Chromium on the built app: the dashboard opens on the Summary of the embedded
 * demo, with the recommendation in one line, the layer x module outlier heatmap and the measured
 * damage chart (one bar per spec of data/demo/stories260K-eval.json with a KL); "Evaluate" runs on
 * the demo's own model file with no file picked and reproduces the shipped W8 figures.
 * Screenshots: test-results/summary-1280.png, summary-1440.png, summary-eval.png.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterEach, expect, it } from "vitest";
import { DemoEvalSchema } from "../../lib/demo/eval-schema.ts";
import { fixture } from "../helpers/fixtures.ts";
import { describeE2e, useBuiltApp } from "./build-once.ts";

/** evidence load + the engine on a cold store (a few seconds alone; the shared machine is slower) */
const ANSWER_TIMEOUT_MS = 90_000;
const EVAL_TIMEOUT_MS = 120_000;
/**
 * Same text and quantizer as `quantlens eval` in Node, but Chromium runs the relaxed-SIMD f32 kernels
 * (f32x4.relaxed_madd, fused: one rounding where Node's plain mul+add rounds twice): about 1.4e-9
 * relative on mean NLL today; the bound leaves room for the other metrics' order of summation.
 * KL is a small difference of two log-probabilities (3e-4 nats for W8), so the same rounding moves it
 * by about as many nats as it moves the NLL: its bound is relative to the mean NLL, not to itself
 * (Chromium today: 3.5e-10 nats, 1.1e-6 of the KL, 2.8e-10 of the NLL).
 */
const MAX_BROWSER_REL_DIFF = 1e-7;

const shipped = DemoEvalSchema.parse(JSON.parse(readFileSync(join(process.cwd(), "data/demo/stories260K-eval.json"), "utf8")));

describeE2e("first page: the Summary (Chromium)", () => {
  const app = useBuiltApp();
  const opened: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    for (const x of opened.splice(0).reverse()) await x.close().catch(() => undefined);
  });

  async function newPage(width: number): Promise<{ page: Page; errors: string[] }> {
    const context = await app.browser.newContext({ viewport: { width, height: 1000 } }); // its own OPFS
    opened.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    return { page, errors };
  }

  it("opens on the Summary: one-line answer, the outlier heatmap and one damage bar per measured spec (1280 and 1440 px)", async () => {
    for (const width of [1280, 1440]) {
      const { page, errors } = await newPage(width);
      await page.goto(app.url);
      expect(await page.getByTestId("tab-summary").getAttribute("aria-selected")).toBe("true");
      const summary = page.getByTestId("summary");
      // the heatmap and the chart come with the page (no store, no weights)
      // the quantized linears: 5 layers x (q, k, v, o, gate, up, down)
      expect(await summary.getByTestId("summary-heatmap").getByTestId("heat-cell").count()).toBe(5 * 7);
      const bars = summary.getByTestId("damage-bar");
      const measured = shipped.results.filter((r) => r.spec !== "FP32" && r.kl > 0).map((r) => r.spec);
      expect(measured).toHaveLength(12);
      expect(await bars.evaluateAll((els) => els.map((e) => e.getAttribute("data-spec")))).toEqual(measured);
      // the answer needs the evidence in the browser's store
      const line = page.getByTestId("summary-headline");
      await line.waitFor({ timeout: ANSWER_TIMEOUT_MS });
      const text = (await line.textContent())!;
      expect(text).toMatch(/recommended; .*avoid .* — for a 0\.26M model on any task, \d+ rules?, [\d,]+ evidence rows$/);
      expect(text).toContain("W8");
      // bars take their bucket's colour once the answer is there: W2 is avoided
      expect(await summary.locator("[data-testid=damage-bar][data-spec=W2] rect").getAttribute("fill")).toBe("#f43f5e");
      await page.screenshot({ path: `test-results/summary-${width}.png`, fullPage: true });
      expect(errors).toEqual([]);
    }
  }, 2 * ANSWER_TIMEOUT_MS);

  it("links into Heatmaps, What-if, Recommendation and Report; Runs shows the demo's shipped evaluation", async () => {
    const { page, errors } = await newPage(1280);
    await page.goto(app.url);
    for (const tab of ["heatmaps", "whatif", "recommend", "report"]) {
      await page.getByTestId(`summary-link-${tab}`).click();
      expect(await page.getByTestId(`tab-${tab}`).getAttribute("aria-selected")).toBe("true");
      expect(new URL(page.url()).searchParams.get("tab")).toBe(tab);
      await page.getByTestId("tab-summary").click();
    }
    await page.getByTestId("tab-runs").click();
    const shippedRun = page.getByTestId("embedded-eval-run");
    expect(await shippedRun.getByTestId("eval-result-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-spec")))).toEqual(shipped.results.map((r) => r.spec));
    expect(Number(await shippedRun.locator("[data-testid=eval-result-row][data-spec=W4] [data-metric=kl]").getAttribute("data-value"))).toBe(shipped.results.find((r) => r.spec === "W4")!.kl);
    expect(errors).toEqual([]);
  });

  it("a model opened here with no evaluation run: its own heatmap, and the damage card says how to get one", async (ctx) => {
    const gguf = await fixture("models/stories260K.gguf");
    if (!gguf) return ctx.skip();
    const { page, errors } = await newPage(1280);
    await page.goto(app.url, { waitUntil: "networkidle" });
    await page.getByTestId("file-input").setInputFiles(gguf);
    await page.getByTestId("current-model").filter({ hasText: "local:stories260K.gguf" }).waitFor({ timeout: EVAL_TIMEOUT_MS });
    const none = page.getByTestId("summary-no-damage");
    await none.waitFor({ timeout: ANSWER_TIMEOUT_MS });
    expect(await none.textContent()).toMatch(/Evaluate on your text/);
    expect(await page.getByTestId("damage-bar").count()).toBe(0);
    expect(await page.getByTestId("summary-heatmap").getByTestId("heat-cell").count()).toBe(5 * 7);
    await page.getByTestId("summary-headline").waitFor({ timeout: ANSWER_TIMEOUT_MS });
    await page.screenshot({ path: "test-results/summary-opened-1280.png", fullPage: true });
    expect(errors).toEqual([]);
  }, EVAL_TIMEOUT_MS + ANSWER_TIMEOUT_MS);

  it("evaluates the demo with no file picked: its own GGUF on its text, W8 as shipped", async () => {
    const { page, errors } = await newPage(1280);
    await page.goto(app.url, { waitUntil: "networkidle" });
    await page.getByTestId("summary-link-whatif").click();
    await page.getByTestId("eval-sample-text").click();
    await page.getByTestId("eval-text-count").filter({ hasText: "23 documents" }).waitFor();
    const chips = page.getByTestId("eval-spec-chip");
    for (let i = 0; i < (await chips.count()); i++) {
      const chip = chips.nth(i);
      const want = ["FP32", "W8"].includes((await chip.getAttribute("data-spec"))!);
      if ((await chip.getAttribute("aria-checked") === "true") !== want) await chip.click();
    }
    await page.getByTestId("eval-run").click();
    await expect.poll(() => page.getByTestId("eval-result-row").count(), { timeout: EVAL_TIMEOUT_MS }).toBe(2);
    expect(await page.getByTestId("eval-error").count()).toBe(0);
    const value = async (metric: string) => Number(await page.locator(`[data-testid=eval-result-row][data-spec="W8"] [data-metric=${metric}]`).getAttribute("data-value"));
    const w8 = shipped.results.find((r) => r.spec === "W8")!;
    for (const k of ["mean_nll", "kl", "top1_agreement"] as const) {
      const scale = k === "kl" ? w8.mean_nll : w8[k];
      expect(Math.abs((await value(k)) - w8[k]), k).toBeLessThanOrEqual(MAX_BROWSER_REL_DIFF * Math.abs(scale));
    }
    await page.getByTestId("eval-results").scrollIntoViewIfNeeded();
    await page.screenshot({ path: "test-results/summary-eval.png", fullPage: true });
    expect(errors).toEqual([]);
  }, EVAL_TIMEOUT_MS + 30_000);
});
