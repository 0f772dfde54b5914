/**
 * An already-quantized GGUF in Chromium against the built app: synth-llama-Q4_K_M.gguf (llama.cpp
 * Q4_K blocks) is labelled on Overview, Tensors and What-if with what it holds (Q4_K: 16 tensors
 * and their bytes), the baseline reads "dequantized Q4_K", and the what-if size compares against
 * the file's own tensor bytes; the Overview lists the file's GGUF key/values, searchable. Screenshots at 1280 and 1440 px: test-results/q4k-*.png.
 */
import { beforeAll, expect, it } from "vitest";
import { fixture } from "../helpers/fixtures.ts";
import { BUILD_TIMEOUT_MS, describeE2e, useBuiltApp } from "./build-once.ts";

const TIMEOUT_MS = 90_000;

describeE2e("already-quantized GGUF (Chromium)", () => {
  const app = useBuiltApp();
  let gguf: string | null = null;

  beforeAll(async () => {
    gguf = await fixture("models/gguf-quants/synth-llama-Q4_K_M.gguf");
  }, BUILD_TIMEOUT_MS);

  it("labels Overview, Tensors and What-if with Q4_K and the dequantized Q4_K baseline", async (ctx) => {
    if (!gguf) return ctx.skip();
    const context = await app.browser.newContext();
    try {
      const page = await context.newPage();
      await page.setViewportSize({ width: 1280, height: 1000 });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(app.url, { waitUntil: "networkidle" });
      await page.getByTestId("file-input").setInputFiles(gguf);
      await page.getByTestId("current-model").filter({ hasText: "local:synth-llama-Q4_K_M.gguf" }).waitFor({ timeout: TIMEOUT_MS });
      await page.getByTestId("tab-overview").click();
      const overview = (await page.getByTestId("stored-quant-overview").textContent())!;
      expect(overview).toMatch(/Q4_K: 16 tensors, [\d.]+ (KiB|MiB)/);
      expect(overview).toContain("dequantized Q4_K");
      // the raw metadata view: GGUF key/values, searchable
      await page.getByTestId("metadata-row").first().waitFor();
      expect(await page.locator("[data-testid=metadata-row][data-key='general.architecture']").textContent()).toContain("llama");
      await page.getByTestId("metadata-search").fill("file_type");
      await expect.poll(() => page.getByTestId("metadata-row").count()).toBeGreaterThanOrEqual(1);
      expect(await page.getByTestId("metadata-row").evaluateAll((rows) => rows.every((r) => /file_type/.test(r.textContent ?? "")))).toBe(true);
      await page.screenshot({ path: "test-results/q4k-overview-1280.png", fullPage: true });
      await page.getByTestId("tab-tensors").click();
      expect(await page.getByTestId("stored-quant-tensors").textContent()).toContain("dequantized Q4_K");
      await page.screenshot({ path: "test-results/q4k-tensors-1280.png", fullPage: true });
      await page.getByTestId("tab-whatif").click();
      expect(await page.getByTestId("stored-quant-whatif").textContent()).toContain("dequantized Q4_K");
      expect(await page.getByText(/\(baseline: dequantized Q4_K\)/).count()).toBe(1);
      expect(await page.getByText("vs this file", { exact: true }).count()).toBe(1);
      expect(await page.getByText("vs 16-bit", { exact: true }).count()).toBe(0);
      expect(await page.getByTestId("whatif-bars").locator("li").count()).toBe(2 * 7); // 2 layers x 7 linear weights
      await page.setViewportSize({ width: 1440, height: 1000 });
      await page.screenshot({ path: "test-results/q4k-whatif-1440.png", fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, TIMEOUT_MS * 2);
});
