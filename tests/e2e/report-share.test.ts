/**
 * Sharing a report in Chromium against the built app: the Report tab's inputs (task, context,
 * budget) go into the address with the run; that link reopens the same report in a new page; the
 * report bundle reopens it in a fresh browser context (another machine: an empty store) picked as
 * a file and from a ?bundle= link; the standalone HTML opens on its own. Screenshots at 1280 px:
 * test-results/report-shared-1280.png (the reopened report) and report-shared-recommendation-1280.png.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { beforeAll, expect, it } from "vitest";
import { fixture } from "../helpers/fixtures.ts";
import { startStaticServer } from "../helpers/static-server.ts";
import { BUILD_TIMEOUT_MS, describeE2e, useBuiltApp } from "./build-once.ts";
import { startCorsProxy } from "./cors-proxy.ts";

const TIMEOUT_MS = 90_000;

describeE2e("sharing a report (Chromium)", () => {
  const app = useBuiltApp();
  let folder: string | null = null;
  beforeAll(async () => { folder = await fixture("models/stories260K-hf"); }, BUILD_TIMEOUT_MS);

  const fresh = (): Promise<BrowserContext> => app.browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 1000 } });
  const watch = (page: Page) => { const errors: string[] = []; page.on("pageerror", (e) => errors.push(e.message)); return errors; };
  /** What identifies the report on screen: its run and its recommendation sentence. */
  const reportOf = async (page: Page) => {
    const report = page.getByTestId("report");
    await page.locator("#recommendation p").filter({ hasText: "on dialogue" }).waitFor({ timeout: TIMEOUT_MS });
    return { run: await report.getAttribute("data-run-id"), rec: await page.locator("#recommendation p").nth(1).textContent(), title: await page.locator("article h1").textContent() };
  };

  it("a report link reopens the same report; its bundle reopens it in a fresh browser; its HTML stands alone", async (ctx) => {
    if (!folder) return ctx.skip();
    const owner = await fresh();
    const others: BrowserContext[] = [];
    const files: Array<{ close(): Promise<void> }> = [];
    try {
      const page = await owner.newPage();
      const errors = watch(page);
      await page.goto(app.url);
      await page.getByTestId("file-input").setInputFiles([join(folder, "config.json"), join(folder, "model.safetensors")]);
      await page.getByTestId("current-model").filter({ hasText: "local:" }).waitFor({ timeout: TIMEOUT_MS });
      await page.getByTestId("tab-report").click();
      await page.getByTestId("report").waitFor({ timeout: TIMEOUT_MS });
      await page.getByTestId("report-task").selectOption("dialogue");
      await page.getByTestId("report-context").fill("256");
      await page.getByTestId("report-memory").fill("0.5");
      const shown = await reportOf(page);
      expect(shown.rec).toContain("a context of 256 tokens, a memory budget of 0.5 GB");
      const link = new URL(page.url());
      expect(Object.fromEntries(["tab", "run", "r.task", "r.ctx", "r.mem"].map((k) => [k, link.searchParams.get(k)])))
        .toEqual({ tab: "report", run: shown.run, "r.task": "dialogue", "r.ctx": "256", "r.mem": "0.5" });

      // the report bundle and the HTML, downloaded
      const dir = mkdtempSync(join(tmpdir(), "ql-report-share-"));
      const [bundle] = await Promise.all([page.waitForEvent("download"), page.getByTestId("report-bundle").click()]);
      const bundlePath = join(dir, bundle.suggestedFilename());
      await bundle.saveAs(bundlePath);
      expect(readFileSync(bundlePath).subarray(0, 8).toString()).toBe("QLREPORT");
      const [html] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download HTML" }).click()]);
      const htmlPath = join(dir, "report.html");
      await html.saveAs(htmlPath);

      // the link in a new page of the same browser, once the first has let go of its store (OPFS: one page at a time)
      await page.close();
      const again = await owner.newPage();
      const againErrors = watch(again);
      await again.goto(link.href);
      expect(await reportOf(again)).toEqual(shown);
      await again.close();

      // another machine: a fresh context (empty store) picks the bundle as a file
      const other = await fresh();
      others.push(other);
      const picked = await other.newPage();
      const pickedErrors = watch(picked);
      await picked.goto(app.url);
      await picked.getByTestId("file-input").setInputFiles(bundlePath);
      expect(await reportOf(picked)).toEqual(shown);
      expect(new URL(picked.url()).searchParams.get("r.mem")).toBe("0.5");
      await picked.screenshot({ path: "test-results/report-shared-1280.png" });
      await picked.locator("#recommendation").screenshot({ path: "test-results/report-shared-recommendation-1280.png" });

      // and from a ?bundle= link (served cross-origin, as a shared file would be)
      const server = await startStaticServer({ "/": dirname(bundlePath) });
      files.push(server);
      const proxy = await startCorsProxy(server.url);
      files.push(proxy);
      const third = await fresh();
      others.push(third);
      const linked = await third.newPage();
      const linkedErrors = watch(linked);
      await linked.goto(`${app.url}/?bundle=${encodeURIComponent(`${proxy.endpoint}/${basename(bundlePath)}`)}`);
      expect(await reportOf(linked)).toEqual(shown);

      // the standalone HTML: no script, the same recommendation sentence
      const standalone = await third.newPage();
      await standalone.goto(`file://${htmlPath}`);
      expect(await standalone.locator("script").count()).toBe(0);
      expect(await standalone.locator("#recommendation p").nth(1).textContent()).toBe(shown.rec);
      expect([...errors, ...againErrors, ...pickedErrors, ...linkedErrors]).toEqual([]);
    } finally {
      for (const c of others) await c.close().catch(() => undefined);
      await owner.close();
      for (const f of files.reverse()) await f.close();
    }
  }, TIMEOUT_MS * 4);
});
