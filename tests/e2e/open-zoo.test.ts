/**
 * The arch-zoo folders in the dashboard (Chromium against the built app): Mixtral (experts grouped
 * with gate/up/down, the router its own column) and Phi-3 (fused qkv / gate_up) through the file
 * input, with their module kinds in the layer x module map and every linear in the what-if grid.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { hasChromium, launchBrowser } from "../helpers/app-server.ts";
import { fixture } from "../helpers/fixtures.ts";
import { BUILD_TIMEOUT_MS, buildOnce, startBuiltApp } from "./build-once.ts";

const run = hasChromium || process.env.CI ? describe : describe.skip;
const ANALYSIS_TIMEOUT_MS = 60_000;

/** tensors (lm_head listed even when tied), layer x module cells, quantized linears (what-if bars) */
const FAMILIES = {
  mixtral: { tensors: 41, cells: 2 * 9, linears: 2 * (4 + 3 * 4) },
  phi3: { tensors: 15, cells: 2 * 5, linears: 2 * 4 },
} as const;

run("arch-zoo folders in the dashboard (Chromium)", () => {
  let app: Awaited<ReturnType<typeof startBuiltApp>>;
  let browser: Browser;
  let zoo: string | null = null;

  beforeAll(async () => {
    const cfg = await fixture("models/arch-zoo/mixtral/config.json");
    zoo = cfg ? join(cfg, "../..") : null;
    await buildOnce();
    app = await startBuiltApp();
    browser = await launchBrowser();
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  for (const [family, want] of Object.entries(FAMILIES)) {
    it(`opens the ${family} folder with its module kinds and every linear in the what-if`, async (ctx) => {
      if (!zoo) return ctx.skip();
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      try {
        await page.goto(app.url);
        await page.getByTestId("file-input").setInputFiles([join(zoo, family, "config.json"), join(zoo, family, "model.safetensors")]);
        await page.getByTestId("current-model").filter({ hasText: "local:" }).waitFor({ timeout: ANALYSIS_TIMEOUT_MS });
        await page.getByTestId("tab-tensors").click();
        await expect.poll(() => page.locator("[data-testid=tensor-table] tbody tr").count()).toBe(want.tensors);
        await page.getByTestId("tab-heatmaps").click();
        await expect.poll(() => page.locator("[data-testid=layer-heatmap]").first().getByTestId("heat-cell").count()).toBe(want.cells);
        await page.getByTestId("tab-whatif").click();
        await expect.poll(() => page.getByTestId("whatif-bars").locator("li").count()).toBe(want.linears);
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }
});
