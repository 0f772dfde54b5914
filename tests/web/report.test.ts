/** reportOfSource / compareRuns: the dashboard's report and comparison, from duckdb-wasm as the browser runs them, following the link's inputs. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderMarkdown } from "../../lib/report/render/markdown.ts";
import { DEFAULT_REPORT_LINK } from "../../lib/share/report-url-state.ts";
import { openWasmNodeStore } from "../../lib/store/wasm-node.ts";
import type { Store } from "../../lib/store/store.ts";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compareRuns, NO_EVIDENCE_NOTE, reportOfDemo, reportOfSource, reportRunOf } from "../../lib/web/report.ts";
import { demoAnalysis } from "../../lib/demo/analysis.ts";
import { DemoSchema } from "../../lib/demo/schema.ts";
import { DemoEvalSchema } from "../../lib/demo/eval-schema.ts";
import { loadEvidenceFromDir } from "../../lib/evidence/node.ts";
import type { ReportDoc } from "../../lib/report/model.ts";
import { GOLDEN_DATE, loadInput, readInput } from "../report/helpers.ts";
import { withEvidence } from "../report/helpers-evidence.ts";

const demoJson = (f: string) => JSON.parse(readFileSync(join(process.cwd(), "data/demo", f), "utf8"));
/** One section of a report as Markdown (its numbers as printed). */
const sectionMd = (doc: ReportDoc, id: string) => renderMarkdown({ ...doc, sections: doc.sections.filter((s) => s.id === id), queries: [], evidence: [] }).markdown.split("\n## ").slice(1).join("\n## ");

const runOf = (kind: string) => (readInput().runs as Array<{ run_id: string; kind: string }>).find((r) => r.kind === kind)!.run_id;
const STATS = runOf("stats"), EVAL = runOf("eval");

describe("reportOfSource(store, source, { link })", () => {
  let store: Store;
  const source = (readInput().models[0] as { source: string }).source;
  beforeAll(async () => { store = await loadInput(await openWasmNodeStore()); }, 60_000);
  afterAll(() => store?.close());

  it("reports the latest statistics run of the model opened as `source`, with its eval runs", async () => {
    const r = await reportOfSource(store, source, { now: GOLDEN_DATE });
    expect(r!.runId).toBe(STATS);
    expect(r!.doc.header.statsRun).toBe(STATS);
    expect(renderMarkdown(r!.doc).markdown).toContain("| `W4` | 3.840 | 1.3455 |");
    expect(renderMarkdown(r!.doc).markdown).toContain(NO_EVIDENCE_NOTE.slice(0, 40));
  });

  it("reports the link's run when it is a run of that model, and ignores a run of another model or none", async () => {
    expect(await reportRunOf(store, source, { run: EVAL })).toBe(EVAL);
    expect(await reportRunOf(store, "local:other.gguf", { run: EVAL })).toBeNull();
    expect(await reportRunOf(store, source, { run: "no-such-run" })).toBe(STATS);
  });

  it("returns null for a model with no stored statistics run (the embedded demo)", async () => {
    expect(await reportOfSource(store, "demo")).toBeNull();
  });

  it("answers the link's task, context and budget when the evidence loads", async () => {
    await withEvidence(store);
    const link = { ...DEFAULT_REPORT_LINK, run: STATS, task: "dialogue" as const, context: 256, memoryGb: 0.5 };
    const r = await reportOfSource(store, source, { now: GOLDEN_DATE, link, evidence: async () => true });
    const md = renderMarkdown(r!.doc).markdown;
    expect(md).toContain("on dialogue, a context of 256 tokens, a memory budget of 0.5 GB");
    const { cmp, doc } = await compareRuns(store, STATS, EVAL, link, async () => true);
    expect(cmp.a.rec?.inputs.task).toBe("dialogue");
    expect(cmp.b.rec?.inputs.context).toBe(256);
    expect(doc.sections.map((s) => s.id)).toEqual(["runs", "compare-stats", "compare-eval", "compare-recommendation"]);
    // the eval run's side takes its model's statistics run: every tensor is in both, every difference 0
    expect(cmp.tensors!.every((p) => p.d_kurtosis === null || p.d_kurtosis === 0)).toBe(true);
  }, 60_000);
});

describe("reportOfDemo(analysis, where)", () => {
  it("reports the demo from its embedded runs: the outliers a stored stats run of stories260K.bin gives, its 13 measured specs and a recommendation", async () => {
    const a = demoAnalysis(DemoSchema.parse(demoJson("stories260K.json")), DemoEvalSchema.parse(demoJson("stories260K-eval.json")));
    const doc = await reportOfDemo(a, { open: openWasmNodeStore, loadEvidence: (s) => loadEvidenceFromDir(s) }, { now: GOLDEN_DATE });
    const ref = (await reportOfSource(await loadInput(await openWasmNodeStore()), (readInput().models[0] as { source: string }).source, { now: GOLDEN_DATE }))!.doc;
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
