/**
 * A file picked before the page hydrated is opened once it has: the pick's change event fired with
 * no React handler attached, and the page used to stay on the demo without a word (the cause of the
 * e2e cases that timed out "waiting for the model" on a loaded machine: goto, then an immediate
 * setInputFiles in a fresh browser context). The page's scripts are held back until the pick is
 * made, so the race is taken every time.
 */
import { join } from "node:path";
import type { Route } from "playwright-core";
import { beforeAll, expect, it } from "vitest";
import { fixture } from "../helpers/fixtures.ts";
import { BUILD_TIMEOUT_MS, describeE2e, useBuiltApp } from "./build-once.ts";

const TIMEOUT_MS = 60_000;

describeE2e("a pick before hydration (Chromium)", () => {
  const app = useBuiltApp();
  let folder: string | null = null;
  beforeAll(async () => { folder = await fixture("models/stories260K-hf"); }, BUILD_TIMEOUT_MS);

  it("opens a model picked from the file input before the page's scripts ran", async (ctx) => {
    if (!folder) return ctx.skip();
    const context = await app.browser.newContext();
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      const held: Route[] = [];
      let hold = true;
      await page.route(/\/_next\/static\/chunks\/.*\.js/, (r) => (hold ? void held.push(r) : void r.continue()));
      await page.goto(app.url, { waitUntil: "commit" });
      const input = page.getByTestId("file-input");
      await input.waitFor({ state: "attached" });
      expect(await input.evaluate((el) => Object.keys(el).some((k) => k.startsWith("__reactProps")))).toBe(false);
      await input.setInputFiles([join(folder, "config.json"), join(folder, "model.safetensors")]);
      hold = false;
      for (const r of held.splice(0)) await r.continue();
      await page.getByTestId("current-model").filter({ hasText: "local:" }).waitFor({ timeout: TIMEOUT_MS });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, TIMEOUT_MS * 2);
});
