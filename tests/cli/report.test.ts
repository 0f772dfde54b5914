/** `quantlens report`: statistics computed once into --db and reused, eval runs of the db shown, a run id reported, usage mistakes exit 2. */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../lib/cli/main.ts";
import { reportFormat } from "../../lib/cli/commands/report.ts";
import { openNodeStore } from "../../lib/store/node.ts";
import { captureEffects } from "../helpers/capture.ts";
import { fixture } from "../helpers/fixtures.ts";
import { loadInput, readInput } from "../report/helpers.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "ql-report-cli-"));

describe("quantlens report", () => {
  it("report(model, --db) computes the statistics once, stores them and the report, and reuses them the second time", async (ctx) => {
    const model = await fixture("models/stories260K.bin");
    if (!model) return ctx.skip();
    const db = join(tmp(), "r.duckdb");
    const first = captureEffects();
    expect(await main(["report", model, "--db", db], first), first.stderr()).toBe(0);
    expect(first.stderr()).toContain("computing statistics of 48 tensors");
    expect(first.stdout()).toMatch(/^# quantlens report: .*stories260K\.bin\n\n- model: /);
    expect(first.stdout()).toContain("The store holds no evaluation results for this model");
    // the file the numbers came from, by its SHA-256 (computed here by a second, independent read)
    expect(first.stdout()).toContain(`- file hashes: stories260K.bin sha256 ${createHash("sha256").update(readFileSync(model)).digest("hex")}`);
    const second = captureEffects();
    expect(await main(["report", model, "--db", db, "--context", "2048"], second), second.stderr()).toBe(0);
    expect(second.stderr()).toMatch(/reusing statistics run [0-9a-f-]{36}/);
    expect(second.stdout()).toContain("KV cache at a context of 2048 tokens");
    expect(second.stdout()).toMatch(/## 4\. Recommendation\n\nRecommended: `W8`/);
    expect(second.stdout()).toMatch(/\| `W4` \| [\d.]+ \| `model\.layers\.\d\.[a-z_.]+` \| /); // predicted worst-layer SQNR from the weights, no eval run
    const store = await openNodeStore(db);
    try {
      expect(await store.query("SELECT kind, status FROM runs")).toEqual([{ kind: "stats", status: "done" }]);
      const reports = await store.query<{ kind: string; body: string }>("SELECT kind, body FROM reports ORDER BY created_at");
      expect(reports).toHaveLength(2);
      expect(reports[1]!.body).toBe(second.stdout());
    } finally {
      await store.close();
    }
  });

  it("report(run-id, --db, --out r.html, --task, --memory-gb) writes one standalone HTML file of that run with the budget's recommendation", async () => {
    const dir = tmp(), db = join(dir, "r.duckdb");
    const store = await loadInput(await openNodeStore(db));
    await store.close();
    const evalRun = (readInput().runs as Array<{ run_id: string; kind: string }>).find((r) => r.kind === "eval")!.run_id;
    const fx = captureEffects();
    expect(await main(["report", evalRun, "--db", db, "--out", join(dir, "r.html"), "--task", "dialogue", "--memory-gb", "0.5"], fx), fx.stderr()).toBe(0);
    const html = readFileSync(join(dir, "r.html"), "utf8");
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain(`<dt>evaluation runs</dt><dd>${evalRun}</dd>`);
    expect(html).toContain('data-chart="bars"');
    expect(html).toMatch(/on dialogue, a context of .* tokens, a memory budget of <span class="num"[^>]*>0\.5 GB<\/span>/);
  });

  it("report(model, --out r.md) writes the charts as SVG files beside the Markdown", async (ctx) => {
    const model = await fixture("models/stories260K.bin");
    if (!model) return ctx.skip();
    const dir = tmp();
    const fx = captureEffects();
    expect(await main(["report", model, "--out", join(dir, "r.md")], fx), fx.stderr()).toBe(0);
    expect(readFileSync(join(dir, "r.md"), "utf8")).toContain("![Kurtosis of the quantized linears per layer and module](r-figures/heatmap-kurtosis.svg)");
    expect(existsSync(join(dir, "r-figures/histogram-worst.svg"))).toBe(true);
  });

  it("rejects a bad --format, pdf without --out and a bad --context with exit 2; an unknown run with exit 1", async () => {
    for (const [args, code, text] of [
      [["report", "x", "--format", "docx"], 2, "--format must be one of md, html, pdf"],
      [["report", "x", "--format", "pdf"], 2, "--format pdf needs --out"],
      [["report", "x", "--context", "0"], 2, "--context must be an integer"],
      [["report", "x", "--task", "poetry"], 2, "--task must be one of basic_nlp, in_context_learning"],
      [["report", "x", "--memory-gb", "-1"], 2, "--memory-gb must be a positive number"],
      [["report", "no-such-run"], 1, "neither a model file nor a run"],
    ] as const) {
      const fx = captureEffects();
      expect(await main([...args], fx)).toBe(code);
      expect(fx.stderr()).toContain(text);
    }
  });

  it("reportFormat(format, out) takes the format from --out's extension", () => {
    expect([reportFormat(undefined, "a.pdf"), reportFormat(undefined, "a.HTML"), reportFormat(undefined, "a.txt"), reportFormat(undefined, undefined)]).toEqual(["pdf", "html", "md", "md"]);
  });
});
