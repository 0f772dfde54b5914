/** reportOfSource(store, source): the dashboard's report of the model on screen, from duckdb-wasm as the browser runs it. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderMarkdown } from "../../lib/report/render/markdown.ts";
import { openWasmNodeStore } from "../../lib/store/wasm-node.ts";
import type { Store } from "../../lib/store/store.ts";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { reportOfDemo, reportOfSource } from "../../lib/web/report.ts";
import { demoAnalysis } from "../../lib/demo/analysis.ts";
import { DemoSchema } from "../../lib/demo/schema.ts";
import { DemoEvalSchema } from "../../lib/demo/eval-schema.ts";
import { loadEvidenceFromDir } from "../../lib/evidence/node.ts";
import type { ReportDoc } from "../../lib/report/model.ts";
import { GOLDEN_DATE, loadInput, readInput } from "../report/helpers.ts";

const demoJson = (f: string) => JSON.parse(readFileSync(join(process.cwd(), "data/demo", f), "utf8"));
/** One section of a report as Markdown (its numbers as printed). */
const sectionMd = (doc: ReportDoc, id: string) => renderMarkdown({ ...doc, sections: doc.sections.filter((s) => s.id === id), queries: [], evidence: [] }).markdown.split("\n## ").slice(1).join("\n## ");

describe("reportOfSource(store, source)", () => {
  let store: Store;
  const source = (readInput().models[0] as { source: string }).source;
  beforeAll(async () => { store = await loadInput(await openWasmNodeStore()); });
  afterAll(() => store?.close());

  it("reports the latest statistics run of the model opened as `source`, with its eval runs", async () => {
    const doc = await reportOfSource(store, source, { now: GOLDEN_DATE });
    const statsRun = (readInput().runs as Array<{ run_id: string; kind: string }>).find((r) => r.kind === "stats")!.run_id;
    expect(doc!.header.statsRun).toBe(statsRun);
    expect(renderMarkdown(doc!).markdown).toContain("| `W4` | 3.840 | 1.3455 |");
  });

  it("returns null for a model with no stored statistics run (the embedded demo)", async () => {
    expect(await reportOfSource(store, "demo")).toBeNull();
  });
});

describe("reportOfDemo(analysis, where)", () => {
  it("reports the demo from its embedded runs: the outliers a stored stats run of stories260K.bin gives, its 13 measured specs and a recommendation", async () => {
    const a = demoAnalysis(DemoSchema.parse(demoJson("stories260K.json")), DemoEvalSchema.parse(demoJson("stories260K-eval.json")));
    const doc = await reportOfDemo(a, { open: openWasmNodeStore, loadEvidence: (s) => loadEvidenceFromDir(s) }, { now: GOLDEN_DATE });
    const ref = (await reportOfSource(await loadInput(await openWasmNodeStore()), (readInput().models[0] as { source: string }).source, { now: GOLDEN_DATE }))!;
    expect(doc.header.title).toBe("quantlens report: stories260K");
    // the same statistics, written back from the demo document (lib/demo/seed.ts), give the same findings and memory figures
    expect(sectionMd(doc, "outliers")).toMatch(/^\d\. Outlier findings[\s\S]*kurtosis 8\.615[\s\S]*`model\.layers\.0\.self_attn\.o_proj\.weight` \| 6\.127 \| 9\.287/);
    expect(sectionMd(doc, "outliers")).toBe(sectionMd(ref, "outliers"));
    for (const table of ["| dtype |", "| weights |", "| KV cache |"]) {
      const pick = (md: string) => md.slice(md.indexOf(table)).split("\n\n")[0];
      expect(pick(sectionMd(doc, "summary")), table).toBe(pick(sectionMd(ref, "summary")));
    }
    const measured = sectionMd(doc, "sensitivity");
    expect(measured).toContain("| `W8` | 3.451 | 1.2387 |");
    expect(measured).toContain("| `W3-gptq` | 6.448 | 1.8638 |");
    expect(doc.sections.find((s) => s.id === "sensitivity")!.blocks.some((b) => b.kind === "figure")).toBe(true);
    expect(sectionMd(doc, "recommendation")).toMatch(/Recommended: `W8`/);
  }, 60_000);
});
