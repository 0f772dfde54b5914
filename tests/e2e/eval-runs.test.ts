/**
 * Evaluation runs are runs, in Chromium against the built app: an evaluation of stories260K.gguf
 * is listed in Runs after a reload (OPFS) with its model, specs, text summary (documents, tokens,
 * sha256 of the text), status and results; it reopens into the results table with the live
 * numbers, travels in a bundle to a fresh profile, and can be deleted; a tab closed mid-run leaves
 * a run listed as interrupted with the specs it finished. Screenshots: test-results/eval-runs-*.png.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { sha256Hex } from "../../lib/formats/sha256.ts";
import { fixture } from "../helpers/fixtures.ts";
import { BUILD_TIMEOUT_MS, describeE2e, useBuiltApp } from "./build-once.ts";

const TIMEOUT_MS = 90_000;

describeE2e("evaluation runs in Runs (Chromium)", () => {
  const app = useBuiltApp();
  let gguf: string | null = null;
  let corpus = "";
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    gguf = await fixture("models/stories260K.gguf");
    const c = await fixture("corpora/tinystories_valid_excerpt.txt");
    if (c) corpus = readFileSync(c, "utf8");
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
  });

  async function page(context: BrowserContext, width = 1280): Promise<{ page: Page; errors: string[] }> {
    const p = await context.newPage();
    await p.setViewportSize({ width, height: 1000 });
    const errors: string[] = [];
    p.on("pageerror", (e) => errors.push(e.message));
    return { page: p, errors };
  }
  const fresh = async () => { const c = await app.browser.newContext(); contexts.push(c); return c; };

  async function openAndPick(p: Page, text: string, specs: string[]): Promise<void> {
    await p.goto(app.url, { waitUntil: "networkidle" });
    await p.getByTestId("file-input").setInputFiles(gguf!);
    await p.getByTestId("current-model").filter({ hasText: "local:stories260K.gguf" }).waitFor({ timeout: TIMEOUT_MS });
    await p.getByTestId("tab-whatif").click();
    await p.getByTestId("eval-text").fill(text);
    const chips = p.getByTestId("eval-spec-chip");
    for (let i = 0; i < (await chips.count()); i++) {
      const chip = chips.nth(i);
      const want = specs.includes((await chip.getAttribute("data-spec"))!);
      if ((await chip.getAttribute("aria-checked") === "true") !== want) await chip.click();
    }
  }
  const ppls = (p: Page, scope: string) => p.locator(`${scope} [data-testid=eval-result-row] [data-metric=ppl]`).evaluateAll((cells) => cells.map((c) => c.getAttribute("data-value")));

  it("lists a finished evaluation after a reload, reopens it, bundles it to a fresh profile, deletes it", async (ctx) => {
    if (!gguf || !corpus) return ctx.skip();
    const text = corpus.split(/^<\|endoftext\|>$/m).slice(0, 2).join("\n<|endoftext|>\n");
    const context = await fresh();
    const { page: p, errors } = await page(context);
    await openAndPick(p, text, ["FP32", "W8"]);
    await p.getByTestId("eval-run").click();
    await expect.poll(() => p.getByTestId("eval-result-row").count(), { timeout: TIMEOUT_MS }).toBe(2);
    await p.getByTestId("eval-run").waitFor({ timeout: TIMEOUT_MS });
    const live = await ppls(p, "[data-testid=eval-results]");
    // the panel is idle at the last row; the run's final status reaches OPFS just after, and says so
    await p.locator("[data-testid=eval-saved][data-state=saved]").waitFor({ timeout: TIMEOUT_MS });

    await p.reload();
    await p.getByTestId("tab-runs").click();
    const row = p.getByTestId("eval-run-row").first();
    await row.waitFor({ timeout: TIMEOUT_MS });
    expect(await row.getByTestId("eval-run-status").textContent()).toBe("done");
    expect(await row.getByTestId("eval-run-results").textContent()).toBe("2 / 2");
    expect(await row.textContent()).toContain("local:stories260K.gguf");
    expect(await row.textContent()).toContain("FP32, W8");
    const summary = (await row.getByTestId("eval-run-text").textContent())!;
    expect(summary).toMatch(/2 docs · [\d,]+ tokens/);
    expect(summary).toContain(sha256Hex(text).slice(0, 12));
    await row.getByTestId("eval-run-open").click();
    await p.getByTestId("eval-run-opened").waitFor();
    expect(await ppls(p, "[data-testid=eval-run-opened]")).toEqual(live);
    await p.screenshot({ path: "test-results/eval-runs-1280.png", fullPage: true });
    await p.setViewportSize({ width: 1440, height: 1000 });
    await p.screenshot({ path: "test-results/eval-runs-1440.png", fullPage: true });

    const [download] = await Promise.all([p.waitForEvent("download"), row.getByTestId("eval-run-bundle").click()]);
    const bundle = join(mkdtempSync(join(tmpdir(), "ql-eval-bundle-")), "eval.qlbundle");
    await download.saveAs(bundle);
    const { page: other, errors: otherErrors } = await page(await fresh());
    await other.goto(app.url, { waitUntil: "networkidle" });
    await other.getByTestId("file-input").setInputFiles(bundle);
    await other.getByTestId("eval-run-opened").waitFor({ timeout: TIMEOUT_MS });
    expect(await ppls(other, "[data-testid=eval-run-opened]")).toEqual(live);
    await expect.poll(() => other.getByTestId("eval-run-row").count()).toBe(1);

    await row.getByTestId("eval-run-delete").click();
    await expect.poll(() => p.getByTestId("eval-run-row").count()).toBe(0);
    expect(await p.getByTestId("eval-run-opened").count()).toBe(0);
    await p.reload();
    await p.getByTestId("tab-runs").click();
    await p.getByTestId("eval-runs-empty").waitFor({ timeout: TIMEOUT_MS });
    expect([...errors, ...otherErrors]).toEqual([]);
  }, TIMEOUT_MS * 4);

  it("a tab closed mid-run leaves the run listed as interrupted, with the specs it finished", async (ctx) => {
    if (!gguf || !corpus) return ctx.skip();
    const context = await fresh();
    const { page: p } = await page(context);
    await openAndPick(p, corpus, ["FP32", "W8", "W4", "W3", "W8A8", "W4A8", "W4A4", "KV8", "KV4"]);
    await p.getByTestId("eval-run").click();
    await expect.poll(() => p.getByTestId("eval-result-row").count(), { timeout: TIMEOUT_MS }).toBeGreaterThanOrEqual(1);
    await p.waitForTimeout(500); // the row's store write and checkpoint
    await p.close();
    const { page: again, errors } = await page(context);
    await again.goto(`${app.url}/?tab=runs`);
    const row = again.getByTestId("eval-run-row").first();
    await row.waitFor({ timeout: TIMEOUT_MS });
    expect(await row.getByTestId("eval-run-status").textContent()).toBe("interrupted");
    expect(Number((await row.getByTestId("eval-run-results").textContent())!.split(" / ")[0])).toBeGreaterThanOrEqual(1);
    await again.screenshot({ path: "test-results/eval-runs-interrupted.png", fullPage: true });
    expect(errors).toEqual([]);
  }, TIMEOUT_MS * 3);
});
