/**
 * The arch-zoo folders in the dashboard (Chromium against the built app): Mixtral (experts grouped
 * with gate/up/down, the router its own column) and Phi-3 (fused qkv / gate_up) through the file
 * input, with their module kinds in the layer x module map and every linear in the what-if grid.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { fixture } from "../helpers/fixtures.ts";
import { BUILD_TIMEOUT_MS, describeE2e, useBuiltApp } from "./build-once.ts";

const ANALYSIS_TIMEOUT_MS = 60_000;
const EVAL_TIMEOUT_MS = 120_000;
/** the tolerances against reference.json: FP32 mean NLL within 1e-4, W-specs within 0.5% */
const MAX_FP32_NLL_DIFF = 1e-4;
const MAX_NLL_REL_DIFF = 0.005;

/** tensors (lm_head listed even when tied), layer x module cells, quantized linears (what-if bars) */
const FAMILIES = {
  mixtral: { tensors: 41, cells: 2 * 9, linears: 2 * (4 + 3 * 4) },
  phi3: { tensors: 15, cells: 2 * 5, linears: 2 * 4 },
} as const;

describeE2e("arch-zoo folders in the dashboard (Chromium)", () => {
  const app = useBuiltApp();
  let zoo: string | null = null;
  let text: string | null = null;

  beforeAll(async () => {
    const cfg = await fixture("models/arch-zoo/mixtral/config.json");
    zoo = cfg ? join(cfg, "../..") : null;
    text = await fixture("corpora/tinyshakespeare_eval.txt");
  }, BUILD_TIMEOUT_MS);
  it("evaluates the Mixtral folder in the browser with context 128: FP32 and W4 at reference.json's NLL", async (ctx) => {
    if (!zoo || !text) return ctx.skip();
    const dir = join(zoo, "mixtral");
    const ref = (JSON.parse(readFileSync(join(dir, "reference.json"), "utf8")) as { eval: Record<string, { mean_nll: number }> }).eval;
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    try {
      await page.goto(app.url);
      await page.getByTestId("file-input").setInputFiles(["config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"].map((f) => join(dir, f)));
      await page.getByTestId("current-model").filter({ hasText: "local:" }).waitFor({ timeout: ANALYSIS_TIMEOUT_MS });
      await page.getByTestId("tab-whatif").click();
      await page.getByTestId("eval-text").fill(readFileSync(text, "utf8"));
      await page.getByTestId("eval-text-count").filter({ hasText: "6 documents" }).waitFor();
      const chips = page.getByTestId("eval-spec-chip");
      for (let i = 0; i < (await chips.count()); i++) {
        const chip = chips.nth(i);
        const want = ["FP32", "W4"].includes((await chip.getAttribute("data-spec"))!);
        if ((await chip.getAttribute("aria-checked") === "true") !== want) await chip.click();
      }
      await page.getByTestId("eval-context").fill("128");
      await page.getByTestId("eval-run").click();
      await expect.poll(() => page.getByTestId("eval-result-row").count(), { timeout: EVAL_TIMEOUT_MS }).toBe(2);
      await page.getByTestId("eval-run").waitFor({ timeout: EVAL_TIMEOUT_MS });
      expect(await page.getByTestId("eval-error").count()).toBe(0);
      const nll = async (spec: string) => Number(await page.locator(`[data-testid=eval-result-row][data-spec="${spec}"] [data-metric=mean_nll]`).getAttribute("data-value"));
      expect(Math.abs((await nll("FP32")) - ref.FP32!.mean_nll)).toBeLessThan(MAX_FP32_NLL_DIFF);
      expect(Math.abs((await nll("W4")) / ref.W4!.mean_nll - 1)).toBeLessThan(MAX_NLL_REL_DIFF);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });


  for (const [family, want] of Object.entries(FAMILIES)) {
    it(`opens the ${family} folder with its module kinds and every linear in the what-if`, async (ctx) => {
      if (!zoo) return ctx.skip();
      const page = await app.browser.newPage({ viewport: { width: 1280, height: 1000 } });
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
