/** The dashboard in a real browser: the embedded stories260K demo, its tabs, heatmaps and table. */
import { expect, it } from "vitest";
import { describeE2e, useBuiltApp } from "./build-once.ts";

describeE2e("dashboard home (Chromium)", () => {
  const app = useBuiltApp();

  it("shows the embedded stories260K demo: model facts, 40 heatmap cells, 48 tensor rows, 35 what-if weights", async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(app.url);
    await page.getByTestId("current-model").filter({ hasText: "stories260K (demo)" }).waitFor();
    // the first page is the Summary (tests/e2e/summary.test.ts); the facts are on Overview
    expect(await page.getByTestId("tab-summary").getAttribute("aria-selected")).toBe("true");
    await page.getByTestId("tab-overview").click();
    // visible only: the evaluation card (kept mounted under What-if) names the demo too, now that it can run it
    expect(await page.getByText("stories260K", { exact: true }).filter({ visible: true }).count()).toBe(1);
    expect(await page.getByText("260,032", { exact: true }).count()).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: "test-results/home.png", fullPage: true });

    await page.getByTestId("tab-heatmaps").click();
    expect(new URL(page.url()).searchParams.get("tab")).toBe("heatmaps");
    const maps = page.getByTestId("layer-heatmap");
    expect(await maps.count()).toBe(1);
    expect(await maps.first().getByTestId("heat-cell").count()).toBe(5 * 8);
    await page.getByTestId("tab-tensors").click();
    expect(await page.locator("[data-testid=tensor-table] tbody tr").count()).toBe(48);
    const first = await page.locator("[data-testid=tensor-table] tbody tr td").first().textContent();
    expect(first).toMatch(/^model\.|^lm_head/);
    // real (trusted) input: an endless TanStack reset/render loop once froze the page on the first click
    await page.locator("[data-testid=tensor-table] tbody tr").nth(3).click({ timeout: 10_000 });
    await page.getByTestId("tensor-detail").waitFor({ timeout: 10_000 });
    await page.getByLabel("Filter tensors by name").fill("down_proj", { timeout: 10_000 });
    await expect.poll(() => page.locator("[data-testid=tensor-table] tbody tr").count(), { timeout: 10_000 }).toBe(5);
    await page.getByLabel("Filter tensors by name").fill("");
    await page.getByTestId("tab-whatif").click();
    expect(await page.getByTestId("whatif-bars").locator("li").count()).toBe(5 * 7);
    await page.getByTestId("tab-runs").click();
    await page.getByText("Kept in this browser's private storage").waitFor();
    expect(errors).toEqual([]);
  });
});
