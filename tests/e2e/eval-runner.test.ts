/**
 * Evaluations in the browser, in Chromium against the built app: the demo offers its own model file
 * (data/demo, evaluated in tests/e2e/summary.test.ts); stories260K.gguf opened through the file input is evaluated on the first 3 stories of
 * the TinyStories excerpt (FP32 and W8) in a Web Worker, and the numbers equal
 * `quantlens eval --json` on the same text; a custom spec is checked as it is typed; a longer run
 * is cancelled half-way and keeps the specs it finished. Screenshots: test-results/eval-*.png.
 * The app is the committed tree, built in a private copy (build-once.ts).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { main } from "../../lib/cli/main.ts";
import { captureEffects } from "../helpers/capture.ts";
import { fixture } from "../helpers/fixtures.ts";
import { BUILD_TIMEOUT_MS, describeE2e, useBuiltApp } from "./build-once.ts";

const ANALYSIS_TIMEOUT_MS = 60_000;
const EVAL_TIMEOUT_MS = 90_000;

/** The first `n` documents of a `<|endoftext|>`-separated corpus, separators between them kept. */
function firstStories(text: string, n: number): string {
  const out: string[] = [];
  let seen = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "<|endoftext|>" && ++seen === n) break;
    out.push(line);
  }
  return out.join("\n");
}

describeE2e("evaluations in the browser (Chromium)", () => {
  const app = useBuiltApp();
  let gguf: string | null = null;
  let corpus = "";

  beforeAll(async () => {
    gguf = await fixture("models/stories260K.gguf");
    const c = await fixture("corpora/tinystories_valid_excerpt.txt");
    if (c) corpus = readFileSync(c, "utf8");
  }, BUILD_TIMEOUT_MS);
  const opened: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    for (const x of opened.splice(0).reverse()) await x.close().catch(() => undefined);
  });

  async function newPage(): Promise<{ page: Page; errors: string[] }> {
    const context = await app.browser.newContext(); // its own OPFS: no other test's store
    opened.push(context);
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 1100 });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    return { page, errors };
  }

  /** Opens the GGUF through the file input and goes to the What-if tab, where the runner is. */
  async function openGguf(page: Page): Promise<void> {
    await page.goto(app.url, { waitUntil: "networkidle" }); // hydrated: the file input has its handler
    await page.getByTestId("file-input").setInputFiles(gguf!);
    await page.getByTestId("current-model").filter({ hasText: "local:stories260K.gguf" }).waitFor({ timeout: ANALYSIS_TIMEOUT_MS });
    await page.getByTestId("tab-whatif").click();
    await page.getByTestId("eval-text").waitFor();
  }

  /** Leaves exactly `specs` selected among the chips. */
  async function pickSpecs(page: Page, specs: string[]): Promise<void> {
    const chips = page.getByTestId("eval-spec-chip");
    for (let i = 0; i < (await chips.count()); i++) {
      const chip = chips.nth(i);
      const want = specs.includes((await chip.getAttribute("data-spec"))!);
      if ((await chip.getAttribute("aria-checked") === "true") !== want) await chip.click();
    }
  }

  const rowValue = async (page: Page, spec: string, metric: string) =>
    Number(await page.locator(`[data-testid=eval-result-row][data-spec="${spec}"] [data-metric=${metric}]`).getAttribute("data-value"));

  it("offers the demo's own model file (its GGUF tokenizer) and text instead of a note that its weights are missing", async () => {
    const { page, errors } = await newPage();
    await page.goto(`${app.url}/?tab=whatif`);
    await page.getByTestId("eval-sample-text").waitFor();
    expect(await page.getByTestId("eval-no-weights").count()).toBe(0);
    expect(await page.getByTestId("eval-tokenizer").textContent()).toMatch(/own/);
    await page.getByTestId("eval-text").scrollIntoViewIfNeeded();
    await page.screenshot({ path: "test-results/eval-demo.png" });
    expect(errors).toEqual([]);
  });

  it("evaluates FP32 and W8 of stories260K.gguf on 3 stories; the numbers equal `quantlens eval --json`", async (ctx) => {
    if (!gguf || !corpus) return ctx.skip();
    const text = firstStories(corpus, 3);
    const { page, errors } = await newPage();
    await openGguf(page);
    expect(await page.getByTestId("eval-tokenizer").textContent()).toMatch(/own/);
    await page.getByTestId("eval-text").fill(text);
    await page.getByTestId("eval-text-count").filter({ hasText: "3 documents" }).waitFor();
    // a custom spec is checked as it is typed
    await page.getByTestId("eval-custom-spec").fill("W4-g");
    await page.getByTestId("eval-spec-error").filter({ hasText: "-g{N}" }).waitFor();
    expect(await page.getByTestId("eval-add-spec").isDisabled()).toBe(true);
    await page.getByTestId("eval-custom-spec").fill("w4-g64");
    await page.getByTestId("eval-spec-ok").filter({ hasText: "W4-g64" }).waitFor();
    await page.screenshot({ path: "test-results/eval-form.png", fullPage: true });
    await page.getByTestId("eval-custom-spec").fill("");

    await pickSpecs(page, ["W8", "FP32"]);
    await page.getByTestId("eval-run").click();
    await page.getByTestId("eval-cancel").waitFor();
    // another tab while it runs: the run goes on and is still there on return
    await page.getByTestId("tab-overview").click();
    await page.getByTestId("tab-whatif").click();
    await expect.poll(() => page.getByTestId("eval-result-row").count(), { timeout: EVAL_TIMEOUT_MS }).toBe(2);
    await page.getByTestId("eval-run").waitFor({ timeout: EVAL_TIMEOUT_MS });
    expect(await page.getByTestId("eval-error").count()).toBe(0);
    // FP32 first, whatever the order of the chips
    expect(await page.getByTestId("eval-result-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-spec")))).toEqual(["FP32", "W8"]);
    await page.getByTestId("eval-text-count").filter({ hasText: "tokens scored" }).waitFor();
    await page.getByTestId("eval-results").scrollIntoViewIfNeeded();
    await page.screenshot({ path: "test-results/eval-results.png", fullPage: true });

    const fpNll = await rowValue(page, "FP32", "mean_nll");
    expect(fpNll).toBeGreaterThan(0.5); // a plausible mean NLL for stories260K on TinyStories (nats)
    expect(fpNll).toBeLessThan(3);
    const dir = mkdtempSync(join(tmpdir(), "ql-eval-e2e-"));
    writeFileSync(join(dir, "three.txt"), text);
    const fx = captureEffects();
    expect(await main(["eval", gguf, "--text", join(dir, "three.txt"), "--spec", "FP32,W8", "--json", "--no-progress"], fx)).toBe(0);
    const cli = JSON.parse(fx.stdout()) as Record<string, Record<string, number>>;
    for (const spec of ["FP32", "W8"]) {
      for (const metric of ["ppl", "mean_nll", "kl", "top1_agreement", "tokens"]) {
        expect(Math.abs((await rowValue(page, spec, metric)) - cli[spec]![metric]!), `${spec} ${metric}`).toBeLessThanOrEqual(1e-6);
      }
    }
    expect(errors).toEqual([]);
  }, EVAL_TIMEOUT_MS * 2);

  it("cancels a longer run half-way: the finished specs stay listed, the rest is dropped", async (ctx) => {
    if (!gguf || !corpus) return ctx.skip();
    const { page, errors } = await newPage();
    await openGguf(page);
    await page.getByTestId("eval-text").fill(corpus);
    await pickSpecs(page, ["FP32", "W8", "W4", "W3", "W8A8", "W4A8", "W4A4", "KV8", "KV4"]);
    await page.getByTestId("eval-run").click();
    await page.getByTestId("eval-progress-text").filter({ hasText: "tokens" }).waitFor({ timeout: EVAL_TIMEOUT_MS });
    expect(await page.getByTestId("eval-progress-text").textContent()).toMatch(/spec \d\/9/);
    // wait for the first spec, so the run is truly half-way
    await expect.poll(() => page.getByTestId("eval-result-row").count(), { timeout: EVAL_TIMEOUT_MS }).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: "test-results/eval-progress.png", fullPage: true });
    await page.getByTestId("eval-cancel").click();
    // the finished spec was recorded in the dashboard's store (duckdb-wasm) before the run was cancelled
    await page.getByTestId("eval-notice").filter({ hasText: "Cancelled" }).filter({ hasText: "kept in this browser's store" }).waitFor({ timeout: 10_000 });
    await page.getByTestId("eval-run").waitFor();
    expect(await page.getByTestId("eval-progress").count()).toBe(0);
    const kept = await page.getByTestId("eval-result-row").count();
    expect(kept).toBeGreaterThanOrEqual(1);
    expect(kept).toBeLessThan(9);
    expect(await page.getByTestId("eval-pending-row").count()).toBe(0);
    await page.screenshot({ path: "test-results/eval-cancelled.png", fullPage: true });
    expect(errors).toEqual([]);
  }, EVAL_TIMEOUT_MS * 2);
});
