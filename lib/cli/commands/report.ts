/**
 * `quantlens report <model|run-id> [--db f] [--task t] [--context N] [--memory-gb G] [--format md|html|pdf] [--out f]`, or
 * `quantlens report --compare <run-a> <run-b> --db f`:
 * the report of a model (its statistics, computed now unless the store has them, and every eval run
 * the store holds) or of one stored run. Progress on stderr; the report on stdout or in --out.
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import { buildReport, ReportError, type ReportSubject } from "../../report/build.ts";
import { buildComparison } from "../../report/compare.ts";
import type { ReportDoc } from "../../report/model.ts";
import { renderHtml } from "../../report/render/html.ts";
import { renderMarkdown } from "../../report/render/markdown.ts";
import { openNodeStore, type NodeStore } from "../../store/node.ts";
import { REPORT_QUERIES } from "../../store/report-queries.ts";
import { saveReport } from "../../store/report-writes.ts";
import { VERSION } from "../../version.ts";
import { loadEvidenceFromDir } from "../../evidence/node.ts";
import { predictSpecs, type PredictedScore } from "../../recommend/predicted.ts";
import { QUANT_ORDER } from "../../recommend/specs.ts";
import { TASK_KINDS, type TaskKind } from "../../recommend/types.ts";
import { fetchCalibrationSites } from "../../store/eval-queries.ts";
import type { Effects } from "../effects.ts";
import { CliError } from "../errors.ts";
import type { CliOptions } from "../main.ts";
import { ensureStats } from "../report-stats.ts";

export interface ReportOptions extends CliOptions {
  format?: string;
  out?: string;
  context?: string;
  task?: string;
  /** the recommendation's memory budget in GB */
  memoryGb?: string;
  /** with --compare: the second run (opts.model is the first) */
  compareWith?: string;
}

export const REPORT_FORMATS = ["md", "html", "pdf"] as const;
/** above any context a model states; bounds typos */
const MAX_CONTEXT = 1 << 24;
/** as recommend's --memory-gb: far above any machine */
const MAX_MEMORY_GB = 1e6;

/** Parses --format (default: from --out's extension, else md). */
export function reportFormat(format: string | undefined, out: string | undefined): (typeof REPORT_FORMATS)[number] {
  const f = format ?? (out ? { ".html": "html", ".htm": "html", ".pdf": "pdf" }[extname(out).toLowerCase()] ?? "md" : "md");
  if (!(REPORT_FORMATS as readonly string[]).includes(f)) throw new CliError(`--format must be one of ${REPORT_FORMATS.join(", ")}, got "${f}"`);
  return f as (typeof REPORT_FORMATS)[number];
}

function contextOf(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isInteger(n) || n < 1 || n > MAX_CONTEXT) throw new CliError(`--context must be an integer in [1, ${MAX_CONTEXT}], got "${v}"`);
  return n;
}

/** --memory-gb: a positive number of GB (null: no budget). */
function budgetOf(v: string | undefined): number | null {
  if (v === undefined) return null;
  const x = Number(v);
  if (v.trim() === "" || !Number.isFinite(x) || x <= 0 || x > MAX_MEMORY_GB) throw new CliError(`--memory-gb must be a positive number up to ${MAX_MEMORY_GB}, got "${v}"`);
  return x;
}

/** A stored run id, or a model to open (a path, URL or hf: id). */
async function subjectOf(store: NodeStore, target: string, opts: ReportOptions, fx: Effects, predicted: PredictedScore[]): Promise<ReportSubject> {
  const isModel = existsSync(target) || /^(hf:|https?:\/\/)/.test(target);
  if (!isModel) {
    const run = await store.queryRow(REPORT_QUERIES.run, [target]);
    if (run) return { runId: target };
    throw new CliError(`report: ${target} is neither a model file nor a run in ${opts.db ?? "the store (pass --db)"}`, { exitCode: 1 });
  }
  return { modelId: await ensureStats(store, target, opts, fx, async (source, modelId) => {
    fx.err("quantlens: predicting sensitivity from the weights (worst-layer SQNR)\n");
    predicted.push(...await predictSpecs(source, await fetchCalibrationSites(store, modelId), QUANT_ORDER));
  }) };
}

/** Writes the report of `opts.model` in the chosen format. */
export async function run(opts: ReportOptions, fx: Effects): Promise<void> {
  const format = reportFormat(opts.format, opts.out);
  const context = contextOf(opts.context);
  if (opts.task !== undefined && !(TASK_KINDS as readonly string[]).includes(opts.task)) throw new CliError(`--task must be one of ${TASK_KINDS.join(", ")}, got "${opts.task}"`);
  const memoryGb = budgetOf(opts.memoryGb);
  if (format === "pdf" && !opts.out) throw new CliError("--format pdf needs --out <file.pdf>");
  const store = await openNodeStore(opts.db ?? ":memory:");
  try {
    const predicted: PredictedScore[] = [];
    const subject: ReportSubject = opts.compareWith ? { runId: opts.model } : await subjectOf(store, opts.model, opts, fx, predicted);
    fx.err("quantlens: loading the published evidence (data/evidence)\n");
    await loadEvidenceFromDir(store);
    fx.err("quantlens: building the report\n");
    const request = { task: (opts.task ?? null) as TaskKind | null, memoryGb, predicted: predicted.length ? predicted : undefined };
    let doc: ReportDoc;
    try {
      doc = opts.compareWith
        ? await buildComparison(store, opts.model, opts.compareWith, { context, recommendations: request })
        : await buildReport(store, subject, { context, recommendation: request });
    } catch (e) {
      if (e instanceof ReportError) throw new CliError(`report: ${e.message}`, { exitCode: 1 });
      throw e;
    }
    const md = renderMarkdown(doc, { figures: "omit" }).markdown;
    if (opts.db) {
      await saveReport(store, { modelId: opts.compareWith ? null : doc.header.modelId, runId: "runId" in subject ? subject.runId : null, kind: opts.compareWith ? `compare-${format}` : format, title: doc.header.title, toolVersion: VERSION, body: md, params: { target: opts.model, compare_with: opts.compareWith ?? null, format, context: context ?? null, task: opts.task ?? null, memory_gb: memoryGb } });
    }
    await write(doc, format, opts.out, fx);
  } finally {
    await store.close();
  }
}

async function write(doc: ReportDoc, format: "md" | "html" | "pdf", out: string | undefined, fx: Effects): Promise<void> {
  if (format === "md") {
    if (!out) return fx.out(renderMarkdown(doc, { figures: "omit" }).markdown);
    // figures as SVG files next to the Markdown: <out>-figures/<id>.svg
    const dir = `${basename(out, extname(out))}-figures`;
    const { markdown, files } = renderMarkdown(doc, { figures: "files", figurePrefix: `${dir}/` });
    await mkdir(join(dirname(out), dir), { recursive: true });
    for (const [path, svg] of Object.entries(files)) await writeFile(join(dirname(out), path), svg);
    await writeFile(out, markdown);
  } else if (format === "html") {
    if (!out) return fx.out(renderHtml(doc));
    await writeFile(out, renderHtml(doc));
  } else {
    fx.err("quantlens: printing the PDF with Chromium\n");
    const { htmlToPdf } = await import("../pdf.ts");
    await writeFile(out!, await htmlToPdf(renderHtml(doc)));
  }
  fx.err(`quantlens: wrote ${out}\n`);
}
