/**
 * Compare in Chromium against the built app: a published GGUF against its base (synth-llama Q4_0
 * and f32) opened from the file input, both picked in Runs, compared side by side (a diverging
 * heatmap of the kurtosis change, tensor and eval tables with shaded deltas, both recommendations),
 * `cmp=a,b` in the address reopening the same view after a reload, the comparison's HTML, and its
 * report bundle reopening the view in a fresh browser context.
 * Screenshot at 1280 px: test-results/compare-1280.png.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { fixture } from "../helpers/fixtures.ts";
import { BUILD_TIMEOUT_MS, describeE2e, useBuiltApp } from "./build-once.ts";

const TIMEOUT_MS = 90_000;
/** synth-llama: 2 layers x 7 linears in the difference grid */
const CELLS = 2 * 7;

describeE2e("Compare two runs (Chromium)", () => {
  const app = useBuiltApp();
  let base: string | null = null, quant: string | null = null;

  beforeAll(async () => {
    base = await fixture("models/gguf-quants/synth-llama-f32.gguf");
    quant = await fixture("models/gguf-quants/synth-llama-Q4_0.gguf");
  }, BUILD_TIMEOUT_MS);

  it("picks two runs in Runs and shows them side by side; the link reopens the comparison", async (ctx) => {
    if (!base || !quant) return ctx.skip();
    const context = await app.browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 1000 } });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(app.url, { waitUntil: "networkidle" });
      for (const [file, name] of [[base, "synth-llama-f32.gguf"], [quant, "synth-llama-Q4_0.gguf"]] as const) {
        await page.getByTestId("file-input").setInputFiles(file);
        await page.getByTestId("current-model").filter({ hasText: `local:${name}` }).waitFor({ timeout: TIMEOUT_MS });
      }
      await page.getByTestId("tab-runs").click();
      const rows = page.getByTestId("run-row");
      await expect.poll(() => rows.count()).toBe(2);
      // a = the f32 base, b = the Q4_0 file: rows are newest first
      await rows.filter({ hasText: "f32" }).getByTestId("run-pick").check();
      await rows.filter({ hasText: "Q4_0" }).getByTestId("run-pick").check();
      await page.getByTestId("compare-start").click();
      const view = page.getByTestId("compare-view");
      await view.waitFor({ timeout: TIMEOUT_MS });
      expect(await page.getByTestId("compare-side-a").textContent()).toContain("synth-llama-f32");
      expect(await page.getByTestId("compare-side-b").textContent()).toContain("synth-llama-Q4_0");
      expect(await page.getByTestId("compare-counts").textContent()).toMatch(/^\d+ tensors in both runs, 0 only in a, 0 only in b\.$/);
      expect(await view.getByTestId("heat-cell").count()).toBe(CELLS);
      // Q4_0 rounding changes the linears' kurtosis: the first row has a nonzero, shaded difference
      const first = page.getByTestId("compare-tensor-row").first().locator("[data-delta=kurtosis]");
      const firstDelta = await first.getAttribute("data-value");
      expect(Number(firstDelta)).not.toBe(0);
      expect(await first.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe("rgba(0, 0, 0, 0)");
      await page.getByTestId("compare-rec-a").waitFor();
      const cmp = new URL(page.url()).searchParams.get("cmp")!.split(",");
      expect(cmp).toHaveLength(2);
      await page.screenshot({ path: "test-results/compare-1280.png", fullPage: true });

      // the address is the link: a reload reopens the same comparison
      await page.reload();
      await page.getByTestId("compare-view").waitFor({ timeout: TIMEOUT_MS });
      expect(new URL(page.url()).searchParams.get("cmp")).toBe(cmp.join(","));
      expect(await page.getByTestId("compare-side-b").textContent()).toContain("synth-llama-Q4_0");
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("compare-html").click()]);
      expect(download.suggestedFilename()).toMatch(/-compare\.html$/);
      const [bundle] = await Promise.all([page.waitForEvent("download"), page.getByTestId("compare-bundle").click()]);
      const bundlePath = join(mkdtempSync(join(tmpdir(), "ql-compare-")), bundle.suggestedFilename());
      await bundle.saveAs(bundlePath);
      await page.getByTestId("compare-close").click();
      expect(new URL(page.url()).searchParams.get("cmp")).toBeNull();
      expect(errors).toEqual([]);

      // another machine: a fresh context (empty store) opens the comparison's bundle into the same view
      const other = await app.browser.newContext({ viewport: { width: 1280, height: 1000 } });
      try {
        const fresh = await other.newPage();
        const freshErrors: string[] = [];
        fresh.on("pageerror", (e) => freshErrors.push(e.message));
        await fresh.goto(app.url);
        await fresh.getByTestId("file-input").setInputFiles(bundlePath);
        await fresh.getByTestId("compare-view").waitFor({ timeout: TIMEOUT_MS });
        expect(new URL(fresh.url()).searchParams.get("cmp")).toBe(cmp.join(","));
        expect(await fresh.getByTestId("compare-side-a").textContent()).toContain("synth-llama-f32");
        expect(await fresh.getByTestId("compare-tensor-row").first().locator("[data-delta=kurtosis]").getAttribute("data-value")).toBe(firstDelta);
        expect(freshErrors).toEqual([]);
      } finally {
        await other.close();
      }
    } finally {
      await context.close();
    }
  }, TIMEOUT_MS * 3);
});
