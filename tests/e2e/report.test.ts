/**
 * The Report tab in Chromium on the built app: a model opened from the file input is reported
 * from its statistics run in this browser's store (figures, sections, no script run from the
 * page's strings) and titled with the name on screen (not the reader's first file, config.json), its
 * HTML downloads, and the demo (no run in this browser) is reported from the runs it carries, with
 * its measured damage.
 */
import { join } from "node:path";
import { expect, it } from "vitest";
import { fixture } from "../helpers/fixtures.ts";
import { describeE2e, useBuiltApp } from "./build-once.ts";

const REPORT_TIMEOUT_MS = 60_000;

describeE2e("Report tab (Chromium)", () => {
  const app = useBuiltApp();

  it("reports a model opened from the file input, with its charts, and downloads the standalone HTML", async (ctx) => {
    const folder = await fixture("models/stories260K-hf");
    if (!folder) return ctx.skip();
    const context = await app.browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 1000 } });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(app.url);
      await page.getByTestId("tab-report").click();
      await page.getByTestId("report").waitFor({ timeout: REPORT_TIMEOUT_MS });
      expect(await page.locator("article h1").textContent()).toBe("quantlens report: stories260K");
      expect(await page.locator("#sensitivity figure[data-chart=bars]").count()).toBe(1);
      expect(await page.locator("#measured tbody tr").count()).toBe(13);
      await page.getByTestId("file-input").setInputFiles([join(folder, "config.json"), join(folder, "model.safetensors")]);
      await page.getByTestId("current-model").filter({ hasText: "local:" }).waitFor({ timeout: REPORT_TIMEOUT_MS });
      await page.getByTestId("tab-report").click();
      await page.getByTestId("report").filter({ hasText: "model.safetensors" }).waitFor({ timeout: REPORT_TIMEOUT_MS });
      // named as on screen: a pick of config.json + model.safetensors is "model.safetensors", never "config.json"
      expect(await page.locator("article h1").textContent()).toBe("quantlens report: model.safetensors");
      expect(await page.locator("#summary h2").textContent()).toBe("1. Model summary");
      expect(await page.locator("figure[data-chart=heatmap] img").count()).toBe(1);
      expect(await page.locator("figure[data-chart=histogram] img").count()).toBe(1);
      expect(await page.locator("#weight-memory tbody tr").count()).toBe(4);
      expect(new URL(page.url()).searchParams.get("tab")).toBe("report");
      await page.screenshot({ path: "test-results/report-tab.png", fullPage: false });
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download HTML" }).click()]);
      expect(download.suggestedFilename()).toMatch(/-report\.html$/);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
