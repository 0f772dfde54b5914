/**
 * Golden report of stories260K from fixed store contents (tests/report/input -> tests/report/output),
 * framework-snapshot style: a mismatch writes `<name>-changed.<ext>` beside the golden file and
 * fails (UPDATE_GOLDEN=1 rewrites the golden files instead). The same report from both runtimes,
 * with the recommendation lib/recommend computes from the published evidence (data/evidence).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, extname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildReport } from "../../lib/report/build.ts";
import type { ReportDoc } from "../../lib/report/model.ts";
import { renderMarkdown } from "../../lib/report/render/markdown.ts";
import { openNodeStore } from "../../lib/store/node.ts";
import type { Store } from "../../lib/store/store.ts";
import { openWasmNodeStore } from "../../lib/store/wasm-node.ts";
import { GOLDEN_DATE, loadInput, OUTPUT_DIR, STORIES_MODEL_ID } from "./helpers.ts";
import { withEvidence } from "./helpers-evidence.ts";

/** The golden report's recommendation: stories260K deployed for dialogue (the TinyStories domain), no predicted scores. */
const GOLDEN_REQUEST = { task: "dialogue" as const };

/** Compares `actual` with the golden file `rel`; on mismatch writes rel-changed.ext and returns false. */
function matchesGolden(rel: string, actual: string): boolean {
  const path = join(OUTPUT_DIR, rel);
  const changed = path.replace(new RegExp(`${extname(path).replace(".", "\\.")}$`), `-changed${extname(path)}`);
  const expected = existsSync(path) ? readFileSync(path, "utf8") : null;
  if (expected === actual) {
    rmSync(changed, { force: true });
    return true;
  }
  mkdirSync(dirname(path), { recursive: true });
  if (process.env.UPDATE_GOLDEN) { writeFileSync(path, actual); return true; }
  writeFileSync(changed, actual);
  return false;
}

describe("buildReport(store, model) -> renderMarkdown (golden, stories260K)", () => {
  let node: Store, wasm: Store, doc: ReportDoc;
  beforeAll(async () => {
    node = await withEvidence(await loadInput(await openNodeStore()));
    // the evidence loads slowly into duckdb-wasm: the runtime check compares the store-only sections
    wasm = await loadInput(await openWasmNodeStore());
    doc = await buildReport(node, { modelId: STORIES_MODEL_ID }, { now: GOLDEN_DATE, recommendation: GOLDEN_REQUEST });
  }, 60_000);
  afterAll(async () => { await node?.close(); await wasm?.close(); });

  it("writes the golden Markdown and its SVG figures", () => {
    const { markdown, files } = renderMarkdown(doc, { figures: "files", figurePrefix: "stories260K-figures/" });
    const mismatched = [["stories260K.md", markdown] as const, ...Object.entries(files)].filter(([rel, text]) => !matchesGolden(rel, text)).map(([rel]) => rel);
    expect(mismatched, "golden files differ: see the *-changed.* files in tests/report/output").toEqual([]);
    expect(Object.keys(files).sort()).toEqual(["stories260K-figures/heatmap-kurtosis.svg", "stories260K-figures/histogram-worst.svg", "stories260K-figures/kl-per-spec.svg"]);
  });

  it("gives the same document on duckdb-wasm as on Node DuckDB (one SQL text, two runtimes)", async () => {
    const fromWasm = await buildReport(wasm, { modelId: STORIES_MODEL_ID }, { now: GOLDEN_DATE });
    const fromNode = await buildReport(node, { modelId: STORIES_MODEL_ID }, { now: GOLDEN_DATE });
    expect(renderMarkdown(fromWasm).markdown).toBe(renderMarkdown(fromNode).markdown);
  });
});
