/**
 * The same library code in Chromium: statistics of stories260K computed in a Web Worker
 * (Blob source, WebAssembly SIMD kernels) equal Node's, and the duckdb-wasm Store keeps
 * them, reads them back and round-trips them through Parquet.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openModel } from "../../lib/formats/open.ts";
import { nodeRuntime } from "../../lib/formats/open-node.ts";
import { computeTensorStats } from "../../lib/stats/index.ts";
import type { TensorStats } from "../../lib/stats/types.ts";
import { fixture } from "../helpers/fixtures.ts";
import { hasChromium, launchBrowser } from "../helpers/app-server.ts";
import { startStaticServer } from "../helpers/static-server.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const HARNESS = join(ROOT, "tests/browser/harness");
const RESULT_TIMEOUT_MS = 60_000;
/** Merging per-worker f32 block partials (Pébay) vs one sequential pass: a few block bounds (~2.3e-6 each). */
const MAX_POOL_REL_ERROR = 2e-5;
const run = hasChromium || process.env.CI ? describe : describe.skip;

interface HarnessResult {
  ok: boolean; error?: string; stats: TensorStats[]; poolStats: TensorStats[]; stored: TensorStats[];
  runs: Array<{ status: string }>; imported: number;
}

run("library in Chromium (Web Worker stats, duckdb-wasm store)", () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof startStaticServer>>;
  let model: string | null = null;
  beforeAll(async () => {
    model = await fixture("models/stories260K.bin");
    const out = mkdtempSync(join(tmpdir(), "ql-harness-"));
    await build({
      entryPoints: {
        main: join(HARNESS, "main.ts"), "stats-worker": join(HARNESS, "stats-worker.ts"),
        "pool-worker": join(ROOT, "lib/stats/engine/pool-browser-worker.ts"),
      },
      bundle: true, format: "esm", platform: "browser", outdir: out, logLevel: "silent",
    });
    writeFileSync(join(out, "index.html"), `<!doctype html><script type="module" src="./main.js"></script>`);
    server = await startStaticServer({
      "/duckdb/": join(ROOT, "node_modules/@duckdb/duckdb-wasm/dist"),
      "/models/": model ? dirname(model) : out,
      "/": out,
    });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("computes stories260K statistics in a Web Worker and in a pool of two Web Workers equal to Node's, and stores them in duckdb-wasm", async (ctx) => {
    if (!model) return ctx.skip();
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${server.url}/index.html?model=/models/stories260K.bin&name=stories260K.bin`);
    await page.waitForFunction(() => (window as { __result?: unknown }).__result !== undefined, null, { timeout: RESULT_TIMEOUT_MS });
    // JSON text, not page.evaluate's value transfer: the DevTools protocol prints some doubles
    // with one digit too few (-1.2033039331436157 arrived as ...155), JSON.stringify is exact.
    const r = JSON.parse(await page.evaluate(() => JSON.stringify((window as { __result?: unknown }).__result))) as HarnessResult;
    expect(r.error ?? "", errors.join("\n")).toBe("");

    const source = await openModel(model, { runtime: nodeRuntime });
    const node: TensorStats[] = [];
    for (const t of source.tensors) node.push(await computeTensorStats(source, t));
    await source.close();
    expect(r.stats).toEqual(node); // same code, same kernels: identical numbers
    // two Web Workers, 8 KiB chunks dealt round-robin: merged moments differ in the last bits only
    expect(r.poolStats.map((s) => s.name)).toEqual(node.map((s) => s.name));
    r.poolStats.forEach((s, i) => {
      const n = node[i]!;
      expect({ ...s, mean: 0, std: 0, kurtosis: 0, absmax_over_std: 0 }, s.name)
        .toEqual({ ...n, mean: 0, std: 0, kurtosis: 0, absmax_over_std: 0 });
      for (const k of ["mean", "std", "kurtosis"] as const) {
        expect(Math.abs(s[k]! - n[k]!), `${s.name} ${k}`).toBeLessThanOrEqual(MAX_POOL_REL_ERROR * Math.max(Math.abs(n[k]!), n.std!));
      }
    });

    expect(r.runs.map((x) => x.status)).toEqual(["done"]);
    const byName = new Map(r.stored.map((s) => [s.name, s]));
    for (const s of node) expect(byName.get(s.name), s.name).toEqual(s);
    expect(r.imported).toBe(node.length);
  });
});
