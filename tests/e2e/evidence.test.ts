/**
 * The Evidence and Recommend tabs in Chromium on the built app: the published results loaded
 * into the browser's duckdb-wasm store, charts with data, a filter that changes the rows, the
 * recommendation lists with an expandable reason, and the URL state reopened in a fresh context.
 * Screenshots: test-results/evidence-1280.png, test-results/recommend-1440.png.
 */
import { expect, it } from "vitest";
import type { Page } from "playwright-core";
import { describeE2e, useBuiltApp } from "./build-once.ts";

/** loading 7,560 rows into duckdb-wasm on a loaded 2-core machine */
const LOAD_TIMEOUT_MS = 120_000;

const count = async (page: Page, id: string) => Number((await page.getByTestId(id).textContent())!.replace(/[^\d]/g, ""));

describeE2e("evidence explorer and recommendation view (Chromium)", () => {
  const app = useBuiltApp();

  it("explorer: charts have data, a filter narrows the rows; recommend: lists, reasons with rows; the URL reopens the same view", async () => {
    const ctx = await app.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${app.url}/?tab=evidence`);
    await page.getByTestId("precision-charts").waitFor({ timeout: LOAD_TIMEOUT_MS });
    const load = await page.getByTestId("evidence-load").evaluate((e) => ({ ...(e as HTMLElement).dataset }));
    console.log(`evidence load (ms): ${JSON.stringify(load)}`);
    const series = await page.locator("[data-testid^=precision-chart-]").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-series"))));
    expect(series.length).toBeGreaterThanOrEqual(10);
    expect(series.every((n) => n > 0)).toBe(true);
    expect(Number(await page.getByTestId("drop-heatmap").getAttribute("data-cells"))).toBeGreaterThan(100);
    expect(Number(await page.getByTestId("long-context-length").getAttribute("data-series"))).toBeGreaterThan(0);
    expect(Number(await page.getByTestId("long-context-position").getAttribute("data-series"))).toBeGreaterThan(0);
    expect(Number(await page.getByTestId("long-context-litm").getAttribute("data-series"))).toBeGreaterThan(0);
    const all = await count(page, "evidence-rows-count");
    expect(all).toBeGreaterThan(5000);
    await page.screenshot({ path: "test-results/evidence-1280.png", fullPage: true });
    await page.getByTestId("drop-heatmap").screenshot({ path: "test-results/evidence-heatmap-1280.png" });

    await page.getByTestId("filter-family").selectOption("OPT");
    await expect.poll(() => count(page, "evidence-rows-count"), { timeout: 20_000 }).toBeLessThan(all);
    const opt = await count(page, "evidence-rows-count");
    await page.getByTestId("filter-bits").selectOption("4");
    await expect.poll(() => count(page, "evidence-rows-count"), { timeout: 20_000 }).toBeLessThan(opt);
    expect(await page.locator("[data-testid^=precision-chart-]").count()).toBe(1);
    const sources = await page.locator("[data-testid=evidence-rows] tbody tr td:nth-child(11)").allTextContents();
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.every((s) => s.startsWith("qllm-eval"))).toBe(true);
    expect(new URL(page.url()).searchParams.get("e.family")).toBe("OPT");
    await page.screenshot({ path: "test-results/evidence-filtered-1280.png", fullPage: true });

    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByTestId("tab-recommend").click();
    await page.getByTestId("spec-lists").waitFor({ timeout: LOAD_TIMEOUT_MS });
    await page.getByTestId("input-params").fill("7");
    await page.getByTestId("input-task").selectOption("multi_step_reasoning");
    await page.getByTestId("recommend-inputs-used").filter({ hasText: "For 7B parameters, multi_step_reasoning" }).waitFor({ timeout: 30_000 });
    const list = (b: string) => page.getByTestId(`list-${b}`).locator("[data-testid^=spec-]").evaluateAll((els) => els.map((e) => e.getAttribute("data-testid")!.slice(5)));
    console.log(`recommend: ${await page.getByTestId("recommend-inputs-used").textContent()}`);
    // the CLI's scenario: a 7B model on multi-step reasoning
    expect(await list("recommended")).toEqual(expect.arrayContaining(["W8", "W8A8", "KV8"]));
    expect(await list("avoid")).toEqual(expect.arrayContaining(["W4A4", "W2"]));
    // under a 6 GB budget W8 (about 7 GB of weights) no longer fits
    await page.getByTestId("input-memory").fill("6");
    await page.getByTestId("recommend-inputs-used").filter({ hasText: "6 GB" }).waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await list("avoid")).includes("W8"), { timeout: 30_000 }).toBe(true);
    expect((await list("recommended")).length).toBeGreaterThan(0);
    expect(Number(await page.getByTestId("drop-scatter").getAttribute("data-dots"))).toBeGreaterThan(5);
    await page.getByTestId("agg-W8").locator("summary").click();
    await page.getByTestId("agg-W8-rows").locator("tbody tr").first().waitFor({ timeout: 20_000 });
    expect(await count(page, "agg-W8-rows-count")).toBeGreaterThan(0);
    await page.screenshot({ path: "test-results/recommend-1440.png", fullPage: true });
    await page.getByTestId("list-recommended").screenshot({ path: "test-results/recommend-list-1440.png" });

    // the share link in a fresh context (a new browser profile: empty store, evidence loaded again)
    const link = page.url();
    expect(new URL(link).searchParams.get("r.params")).toBe("7");
    const fresh = await app.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const again = await fresh.newPage();
    again.on("pageerror", (e) => errors.push(e.message));
    await again.goto(link);
    await again.getByTestId("spec-lists").waitFor({ timeout: LOAD_TIMEOUT_MS });
    expect(await again.getByTestId("input-params").inputValue()).toBe("7");
    expect(await again.getByTestId("input-task").inputValue()).toBe("multi_step_reasoning");
    expect(await again.getByTestId("input-memory").inputValue()).toBe("6");
    await again.getByTestId("tab-evidence").click();
    await again.getByTestId("precision-charts").waitFor({ timeout: LOAD_TIMEOUT_MS });
    expect(await again.getByTestId("filter-family").inputValue()).toBe("OPT");
    expect(await again.getByTestId("filter-bits").inputValue()).toBe("4");
    expect(await count(again, "evidence-rows-count")).toBeLessThan(opt);
    await fresh.close();
    await ctx.close();
    expect(errors).toEqual([]);
  }, 400_000);
});
