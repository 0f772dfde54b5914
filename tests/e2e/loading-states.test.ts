/**
 * Loading states that tell the truth, in Chromium against the built app: a reload with ?model=
 * shows a loading state naming the model (server-rendered, never the demo's panels) until the
 * stored run is reopened; a model opened over another marks the panels below as the previous
 * model's; a bad file's error appears as soon as its header check fails.
 * Screenshots: test-results/loading-*.png.
 */
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { fixture } from "../helpers/fixtures.ts";
import { BUILD_TIMEOUT_MS, describeE2e, useBuiltApp } from "./build-once.ts";

const TIMEOUT_MS = 60_000;
/** a 3-byte file fails its header check at once; the store (duckdb-wasm) is not waited for */
const BAD_FILE_ERROR_MS = 1500;

describeE2e("loading states (Chromium)", () => {
  const app = useBuiltApp();
  let gguf: string | null = null;
  let folder: string | null = null;

  beforeAll(async () => {
    gguf = await fixture("models/stories260K.gguf");
    folder = await fixture("models/stories260K-hf");
  }, BUILD_TIMEOUT_MS);

  it("a reload with ?model= shows a loading state naming the model, then the reopened run", async (ctx) => {
    if (!gguf) return ctx.skip();
    const html = await (await fetch(`${app.url}/?model=${encodeURIComponent("local:stories260K.gguf")}&tab=tensors`)).text();
    expect(html).toContain("panel-loading");
    expect(html).not.toContain("tensor-table");
    const context = await app.browser.newContext();
    try {
      const page = await context.newPage();
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(app.url, { waitUntil: "networkidle" });
      await page.getByTestId("file-input").setInputFiles(gguf);
      await page.getByTestId("current-model").filter({ hasText: "local:stories260K.gguf" }).waitFor({ timeout: TIMEOUT_MS });
      await page.getByTestId("tab-tensors").click();
      await page.reload({ waitUntil: "commit" });
      const loading = page.getByTestId("panel-loading");
      await loading.waitFor();
      expect(await loading.textContent()).toContain("local:stories260K.gguf");
      expect(await page.getByTestId("tensor-table").count()).toBe(0);
      // the header names what is opening, not the demo
      if (await page.getByTestId("panel-loading").count()) expect(await page.getByTestId("loading-model").textContent()).toBe("local:stories260K.gguf");
      await page.screenshot({ path: "test-results/loading-reload-1280.png" });
      await page.getByTestId("current-model").filter({ hasText: "local:stories260K.gguf" }).waitFor({ timeout: TIMEOUT_MS });
      await page.getByTestId("tensor-table").waitFor();
      expect(await page.getByTestId("panel-loading").count()).toBe(0);

      // a model opened over this one: the panels below are marked as the previous model's
      if (folder) {
        const banner = page.getByTestId("previous-model").waitFor({ timeout: TIMEOUT_MS });
        await page.getByTestId("file-input").setInputFiles([join(folder, "config.json"), join(folder, "model.safetensors")]);
        await banner;
        expect(await page.getByTestId("previous-model").textContent()).toContain("local:stories260K.gguf");
        await page.screenshot({ path: "test-results/loading-previous-1280.png" });
        await page.getByTestId("current-model").filter({ hasText: "local:model.safetensors" }).waitFor({ timeout: TIMEOUT_MS });
        await expect.poll(() => page.getByTestId("previous-model").count()).toBe(0);
      }
    } finally {
      await context.close();
    }
  }, TIMEOUT_MS * 3);

  it("a 3-byte file's error appears within 1.5 s", async () => {
    const context = await app.browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(app.url, { waitUntil: "networkidle" });
      const t0 = Date.now();
      await page.getByTestId("file-input").setInputFiles({ name: "tiny.safetensors", mimeType: "application/octet-stream", buffer: Buffer.from("abc") });
      await page.getByTestId("open-error").waitFor({ timeout: TIMEOUT_MS });
      const ms = Date.now() - t0;
      console.log(`bad file error after ${ms} ms`);
      expect(await page.getByTestId("open-error").textContent()).toContain("tiny.safetensors");
      expect(ms).toBeLessThan(BAD_FILE_ERROR_MS);
    } finally {
      await context.close();
    }
  }, TIMEOUT_MS);
});
