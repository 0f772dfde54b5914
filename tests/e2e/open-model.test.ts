/**
 * Opening models in the dashboard, in Chromium against the built app: the stories260K
 * safetensors folder through the file input, the same model as `hf:` from a local server in
 * the Hub's layout (tests/helpers/range-server.ts behind a CORS front), cancelling a run, a bad
 * file, a share link in a fresh browser context, and the Runs list surviving a reload (OPFS).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { fixture } from "../helpers/fixtures.ts";
import { startHubServer, type RangeServer } from "../helpers/range-server.ts";
import { startStaticServer } from "../helpers/static-server.ts";
import { BUILD_TIMEOUT_MS, describeE2e, useBuiltApp } from "./build-once.ts";
import { startCorsProxy, type CorsProxy } from "./cors-proxy.ts";

/** stories260K: 48 tensors, 5 layers x 8 modules in the layer x module map */
const TENSORS = 48;
const CELLS = 5 * 8;
const ANALYSIS_TIMEOUT_MS = 60_000;
/** per-request delay of the slow Hub: 48 tensors take several seconds, time to press Cancel */
const SLOW_DELAY_MS = 400;
/** how long the early-pick case holds each script back: the pick lands well before hydration */
const HYDRATION_DELAY_MS = 1500;

describeE2e("opening models in the dashboard (Chromium)", () => {
  const app = useBuiltApp();
  let folder: string | null = null;
  let hub: RangeServer | null = null;
  let proxy: CorsProxy | null = null;
  /** the bundle the first test downloads */
  let bundlePath: string | null = null;

  beforeAll(async () => {
    folder = await fixture("models/stories260K-hf");
    if (folder) {
      hub = await startHubServer(folder);
      proxy = await startCorsProxy(hub.endpoint);
    }
  }, BUILD_TIMEOUT_MS);
  /** pages and contexts a test opened: closed after it, failed or not, so none keeps working in the background */
  const opened: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    for (const x of opened.splice(0).reverse()) await x.close().catch(() => undefined);
  });
  afterAll(async () => {
    await proxy?.close();
    await hub?.close();
  });

  async function newPage(ctx?: Awaited<ReturnType<Browser["newContext"]>>): Promise<{ page: Page; errors: string[] }> {
    const page = await (ctx ?? app.browser).newPage({ viewport: { width: 1280, height: 1000 } });
    opened.push(page);
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    return { page, errors };
  }

  /**
   * Types into a search input as React sees it (native value setter + input event): Debian's
   * headless Chromium never acknowledges Playwright's key events on the table's type=search
   * input (tests/e2e/panels.test.ts found the same), and real mouse clicks after it are not
   * acknowledged either, so the row is clicked with dispatchEvent; text inputs take fill().
   */
  async function setText(page: Page, label: string, text: string): Promise<void> {
    await page.getByLabel(label).evaluate((e, t) => {
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!.call(e, t);
      e.dispatchEvent(new Event("input", { bubbles: true }));
    }, text);
  }

  async function expectModel(page: Page, id: string) {
    await page.getByTestId("current-model").filter({ hasText: id }).waitFor({ timeout: ANALYSIS_TIMEOUT_MS });
    await page.getByTestId("tab-tensors").click();
    await expect.poll(() => page.locator("[data-testid=tensor-table] tbody tr").count()).toBe(TENSORS);
    await page.getByTestId("tab-heatmaps").click();
    await expect.poll(() => page.locator("[data-testid=layer-heatmap]").first().getByTestId("heat-cell").count()).toBe(CELLS);
  }

  /** The what-if bars (module, layer, dB) in model order and the Tensors tab's W8/W4/W3 dB cells: what a reopened run must repeat. */
  async function sqnrView(page: Page): Promise<{ bars: string[]; table: string }> {
    await page.getByTestId("tab-whatif").click();
    await page.getByRole("button", { name: "model order" }).click();
    const bars = await page.getByTestId("whatif-bars").locator("li").allTextContents();
    await page.getByTestId("tab-tensors").click();
    const table = (await page.locator("[data-testid=tensor-table] tbody").textContent()) ?? "";
    return { bars, table };
  }
  /** the live analysis' what-if view, for the reopened run and the bundle to match */
  let liveSqnr: { bars: string[]; table: string } | null = null;

  it("opens the stories260K safetensors folder from the file input; the run is in Runs after a reload (OPFS)", async (ctx) => {
    if (!folder) return ctx.skip();
    const context = await app.browser.newContext();
    opened.push(context);
    const { page, errors } = await newPage(context);
    await page.goto(app.url);
    await page.getByTestId("file-input").setInputFiles([join(folder, "config.json"), join(folder, "model.safetensors")]);
    await expectModel(page, "local:");
    await page.screenshot({ path: "test-results/open-folder-heatmaps.png", fullPage: true });
    // the what-if grid was measured in the browser: an SQNR bar for each of the 35 linear weights
    await page.getByTestId("tab-whatif").click();
    expect(await page.getByTestId("whatif-bars").locator("li").count()).toBe(5 * 7);
    await page.screenshot({ path: "test-results/open-folder-whatif.png", fullPage: true });
    liveSqnr = await sqnrView(page);
    expect(liveSqnr.bars).toHaveLength(35);
    expect(liveSqnr.bars.join(" ")).toMatch(/\d+\.\d dB/);
    await page.getByTestId("tab-overview").click();
    expect(await page.getByText("model.safetensors", { exact: true }).filter({ visible: true }).count()).toBe(1);

    // a reload with ?model= reopens the stored run: the same SQNR grid and dB columns, not "-"
    await page.reload();
    await expectModel(page, "local:");
    expect(await sqnrView(page)).toEqual(liveSqnr);
    await page.getByTestId("tab-runs").click();
    const row = page.getByTestId("run-row").filter({ hasText: "local:" });
    await row.first().waitFor({ timeout: ANALYSIS_TIMEOUT_MS });
    expect(await row.first().getByTestId("run-status").textContent()).toBe("done");
    expect(await row.first().textContent()).toContain(`${TENSORS} / ${TENSORS}`);
    await page.screenshot({ path: "test-results/runs-after-reload.png", fullPage: true });
    await row.first().getByTestId("run-reopen").click();
    await expectModel(page, "local:");
    expect(await sqnrView(page)).toEqual(liveSqnr);
    await page.getByTestId("tab-whatif").click();
    await page.screenshot({ path: "test-results/reopened-whatif.png", fullPage: true });

    // the run as a result bundle: downloaded here, opened by a drop-in pick and by a ?bundle= link elsewhere
    await page.getByTestId("tab-runs").click();
    const [download] = await Promise.all([page.waitForEvent("download"), row.first().getByTestId("run-bundle").click()]);
    const dir = mkdtempSync(join(tmpdir(), "ql-bundle-"));
    bundlePath = join(dir, "stories260K.qlbundle");
    await download.saveAs(bundlePath);
    expect(errors).toEqual([]);
  });

  it("opens a result bundle picked as a file and from a ?bundle= link, with the same rows", async (ctx) => {
    if (!bundlePath) return ctx.skip();
    const { page, errors } = await newPage(await app.browser.newContext().then((c) => (opened.push(c), c)));
    await page.goto(app.url);
    await page.getByTestId("file-input").setInputFiles(bundlePath);
    await expectModel(page, "local:model.safetensors");
    if (liveSqnr) expect(await sqnrView(page)).toEqual(liveSqnr);

    const files = await startStaticServer({ "/": dirname(bundlePath) });
    const front = await startCorsProxy(files.url);
    try {
      const { page: other } = await newPage(await app.browser.newContext().then((c) => (opened.push(c), c)));
      await other.goto(`${app.url}/?tab=tensors&bundle=${encodeURIComponent(`${front.endpoint}/${basename(bundlePath)}`)}`);
      await other.getByTestId("current-model").filter({ hasText: "local:model.safetensors" }).waitFor({ timeout: ANALYSIS_TIMEOUT_MS });
      await expect.poll(() => other.locator("[data-testid=tensor-table] tbody tr").count()).toBe(TENSORS);
      await other.screenshot({ path: "test-results/bundle-link.png" });
    } finally {
      await front.close();
      await files.close();
    }
    // a file that only claims to be a bundle is refused in plain words
    await page.getByTestId("file-input").setInputFiles({ name: "fake.qlbundle", mimeType: "application/octet-stream", buffer: Buffer.from("SQLite format 3\0") });
    await page.getByTestId("open-error").filter({ hasText: "not a quantlens result bundle" }).waitFor();
    expect(errors).toEqual([]);
  }, ANALYSIS_TIMEOUT_MS * 2); // three pages and the SQNR view on a loaded machine

  it("opens hf:karpathy/stories260K from a local server with the Hub's layout (?hub=), by byte range", async (ctx) => {
    if (!hub || !proxy) return ctx.skip();
    const { page, errors } = await newPage();
    await page.goto(`${app.url}/?hub=${encodeURIComponent(proxy.endpoint)}`);
    hub.resetStats();
    await page.getByTestId("hub-input").fill("hf:karpathy/stories260K");
    await page.getByTestId("hub-open").click();
    await expectModel(page, "hf:karpathy/stories260K");
    expect(hub.stats.ranges.some((r) => r !== null)).toBe(true);
    expect(new URL(page.url()).searchParams.get("model")).toBe("hf:karpathy/stories260K");
    expect(errors).toEqual([]);
  });

  it("cancels a run half-way: the progress bar goes, the notice says so, and Runs lists it as cancelled", async (ctx) => {
    if (!hub || !proxy) return ctx.skip();
    const { page, errors } = await newPage();
    await page.goto(`${app.url}/?hub=${encodeURIComponent(proxy.endpoint)}`);
    proxy.delayMs = SLOW_DELAY_MS;
    try {
      await page.getByTestId("hub-input").fill("hf:karpathy/stories260K");
      await page.getByTestId("hub-open").click();
      await page.getByTestId("progress-text").filter({ hasText: `of ${TENSORS} tensors` }).waitFor({ timeout: ANALYSIS_TIMEOUT_MS });
      await page.screenshot({ path: "test-results/open-progress.png" });
      await page.getByTestId("cancel").click();
      await page.getByTestId("open-notice").filter({ hasText: "Cancelled" }).waitFor();
      await expect.poll(() => page.getByTestId("open-progress").count()).toBe(0);
      await page.getByTestId("tab-runs").click();
      await page.getByTestId("run-status").filter({ hasText: "cancelled" }).first().waitFor();
    } finally {
      proxy.delayMs = 0;
    }
    expect(errors).toEqual([]);
  });

  it("a file picked before the page is live (scripts still loading) is opened once it is", async () => {
    const { page } = await newPage();
    // hold the app's scripts back, so the pick lands in the server-rendered input before hydration
    await page.route("**/_next/static/chunks/*.js", async (route) => { await new Promise((r) => setTimeout(r, HYDRATION_DELAY_MS)); await route.continue(); });
    await page.goto(app.url, { waitUntil: "commit" });
    await page.getByTestId("file-input").setInputFiles({ name: "early.safetensors", mimeType: "application/octet-stream", buffer: Buffer.from("abc") });
    await page.getByTestId("open-error").filter({ hasText: "early.safetensors" }).waitFor({ timeout: 30_000 });
  });

  it("shows a bad file's error in plain words next to the inputs", async () => {
    const { page } = await newPage();
    await page.goto(app.url);
    await page.getByTestId("file-input").setInputFiles({ name: "broken.safetensors", mimeType: "application/octet-stream", buffer: Buffer.from("this is not a model") });
    const error = page.getByTestId("open-error");
    await error.waitFor();
    expect(await error.textContent()).toMatch(/broken\.safetensors/);
    // the demo stays on screen
    expect(await page.getByTestId("current-model").textContent()).toContain("demo");
    await page.getByTestId("hub-input").fill("not a model id");
    await page.getByTestId("hub-open").click();
    await page.getByTestId("open-error").filter({ hasText: "neither a Hugging Face id" }).waitFor();
    await page.screenshot({ path: "test-results/open-error.png" });
  });

  it("a share link opened in a fresh browser context shows the same tab, filter and tensor", async () => {
    const { page } = await newPage();
    await page.goto(app.url);
    await page.getByTestId("tab-tensors").click();
    await setText(page, "Filter tensors by name", "down_proj");
    await page.locator("[data-testid=tensor-table] tbody tr").filter({ hasText: "model.layers.3.mlp.down_proj.weight" }).dispatchEvent("click");
    await page.getByTestId("tensor-detail").waitFor();
    await page.getByTestId("copy-link").click();
    const link = page.url();
    expect(new URL(link).searchParams.get("tensor")).toBe("model.layers.3.mlp.down_proj.weight");

    const fresh = await app.browser.newContext();
    opened.push(fresh);
    const { page: other, errors } = await newPage(fresh);
    await other.goto(link);
    expect(await other.getByTestId("tab-tensors").getAttribute("aria-selected")).toBe("true");
    expect(await other.getByLabel("Filter tensors by name").inputValue()).toBe("down_proj");
    await expect.poll(() => other.locator("[data-testid=tensor-table] tbody tr").count()).toBe(5);
    expect(await other.getByTestId("tensor-detail").textContent()).toContain("model.layers.3.mlp.down_proj.weight");
    await other.screenshot({ path: "test-results/share-link.png", fullPage: true });
    // a tampered link falls back to defaults instead of failing
    await other.goto(`${app.url}/?tab=nope&layer=-5&tensor=${"x".repeat(600)}&bits=77`);
    expect(await other.getByTestId("tab-summary").getAttribute("aria-selected")).toBe("true");
    expect(errors).toEqual([]);
  });
});
