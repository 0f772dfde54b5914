/** The home page in a real browser: the embedded stories260K demo renders its heatmaps and table. */
import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { buildApp, hasChromium, launchBrowser, startApp } from "../helpers/app-server.ts";

const BUILD_TIMEOUT_MS = 300_000;
// CI installs Chromium (.ci/run); elsewhere a machine without it skips.
const run = hasChromium || process.env.CI ? describe : describe.skip;

run("home page (Chromium)", () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let browser: Browser;
  beforeAll(async () => {
    buildApp();
    app = await startApp();
    browser = await launchBrowser();
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("shows the embedded stories260K demo: model facts, 40 heatmap cells per map and 48 tensor rows", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(app.url);
    await expect(page.getByTestId("model-name").textContent()).resolves.toBe("stories260K");
    expect(await page.getByText("260,032").count()).toBe(1);
    const maps = page.getByTestId("layer-heatmap");
    expect(await maps.count()).toBe(2);
    expect(await maps.first().getByTestId("heat-cell").count()).toBe(5 * 8);
    expect(await page.locator("[data-testid=tensor-table] tbody tr").count()).toBe(48);
    const first = await page.locator("[data-testid=tensor-table] tbody tr td").first().textContent();
    expect(first).toMatch(/^model\.|^lm_head/);
    mkdirSync("test-results", { recursive: true });
    await page.screenshot({ path: "test-results/home.png", fullPage: true });
  });
});
