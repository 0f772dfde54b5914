/**
 * Report bundles: what a report (or a comparison) reads, for another machine to reopen it. The
 * result bundles (bundle.ts) of every run the report uses (its statistics run, the eval runs
 * beside it) plus the report's inputs (run, compared runs, task, context, budget).
 *
 * Layout (all little-endian):
 *   "QLREPORT"            8 bytes magic
 *   u32 version           REPORT_BUNDLE_VERSION
 *   u32 manifest length   then the manifest, UTF-8 JSON (ReportBundleManifest)
 *   result bundles        back to back ("QLBUNDLE" each); manifest offsets count from the first one
 *
 * Reading is a trust boundary: the sizes are checked against bundle.ts's limits, each inner
 * bundle is read and validated by readBundle, and the runs the inputs name must be inside.
 */
import { z } from "zod";
import { reportContext } from "../report/build.ts";
import { REPORT_QUERIES } from "../store/report-queries.ts";
import type { Store } from "../store/store.ts";
import { BundleError, importBundle, MAX_BUNDLE_BYTES, MAX_MANIFEST_BYTES, readBundle, writeBundle, type RunRows } from "./bundle.ts";
import { RunId, type ReportLinkState } from "./report-url-state.ts";
import { TASK_KINDS } from "../recommend/types.ts";

export const REPORT_BUNDLE_MAGIC = "QLREPORT";
export const REPORT_BUNDLE_VERSION = 1;
/** runs one report bundle may carry (a comparison of two models with a few eval runs each is under 20) */
export const MAX_REPORT_RUNS = 64;

const ManifestSchema = z.object({
  format: z.literal("quantlens-report-bundle"),
  version: z.literal(REPORT_BUNDLE_VERSION),
  tool: z.string().max(200),
  created_at: z.string().max(64),
  report: z.object({
    run: RunId.nullable(), compare: z.tuple([RunId, RunId]).nullable(), task: z.enum(TASK_KINDS).nullable(),
    context: z.number().int().positive().max(1 << 24).nullable(), memoryGb: z.number().positive().max(100_000).nullable(),
  }).strict(),
  bundles: z.array(z.object({ run_id: RunId, offset: z.number().int().nonnegative(), length: z.number().int().positive() }).strict()).min(1).max(MAX_REPORT_RUNS),
}).strict();
export type ReportBundleManifest = z.infer<typeof ManifestSchema>;

/** Is `bytes` a report bundle (by its magic)? */
export const isReportBundle = (bytes: Uint8Array) => bytes.length >= 8 && new TextDecoder().decode(bytes.subarray(0, 8)) === REPORT_BUNDLE_MAGIC;

/** The runs a report of `run` reads: the run, its model's statistics run, and its eval run (a statistics run: every eval run of the model). */
export async function reportRunsOf(store: Store, run: string): Promise<string[]> {
  const ctx = await reportContext(store, { runId: run });
  const evals = ctx.evalRun ? [ctx.evalRun] : (await store.query<{ run_id: string }>(REPORT_QUERIES.eval_runs_of_model, [ctx.model.model_id])).map((r) => r.run_id);
  return [...new Set([run, ...(ctx.statsRun ? [ctx.statsRun] : []), ...evals])];
}

/** Writes the report bundle of `link` (its run, or its compared runs, and every run they read). */
export async function writeReportBundle(store: Store, link: ReportLinkState, tool: string): Promise<Uint8Array> {
  const named = link.compare ?? (link.run ? [link.run] : []);
  if (!named.length) throw new BundleError("a report bundle needs a run or two compared runs");
  const runs = [...new Set((await Promise.all(named.map((r) => reportRunsOf(store, r)))).flat())];
  const blobs = await Promise.all(runs.map((r) => writeBundle(store, r, tool)));
  let offset = 0;
  const bundles = runs.map((run_id, i) => { const b = { run_id, offset, length: blobs[i]!.length }; offset += blobs[i]!.length; return b; });
  const manifest: ReportBundleManifest = {
    format: "quantlens-report-bundle", version: REPORT_BUNDLE_VERSION, tool, created_at: new Date().toISOString(),
    report: { run: link.run, compare: link.compare, task: link.task, context: link.context, memoryGb: link.memoryGb }, bundles,
  };
  const head = new TextEncoder().encode(JSON.stringify(manifest));
  const out = new Uint8Array(16 + head.length + offset);
  out.set(new TextEncoder().encode(REPORT_BUNDLE_MAGIC), 0);
  new DataView(out.buffer).setUint32(8, REPORT_BUNDLE_VERSION, true);
  new DataView(out.buffer).setUint32(12, head.length, true);
  out.set(head, 16);
  blobs.forEach((b, i) => out.set(b, 16 + head.length + bundles[i]!.offset));
  return out;
}

/** Reads a report bundle: its inputs and the rows of each run (every inner bundle validated). */
export async function readReportBundle(bytes: Uint8Array): Promise<{ link: ReportLinkState; runs: Array<{ runId: string; rows: RunRows }> }> {
  if (bytes.length > MAX_BUNDLE_BYTES) throw new BundleError(`${bytes.length} bytes is above the ${MAX_BUNDLE_BYTES}-byte limit`);
  if (bytes.length < 16 || !isReportBundle(bytes)) throw new BundleError("not a quantlens report bundle (no QLREPORT header)");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(8, true), headLen = dv.getUint32(12, true);
  if (version !== REPORT_BUNDLE_VERSION) throw new BundleError(`report bundle version ${version} is not supported (this page reads version ${REPORT_BUNDLE_VERSION})`);
  if (headLen > MAX_MANIFEST_BYTES || 16 + headLen > bytes.length) throw new BundleError(`report manifest length ${headLen} is out of range`);
  let json: unknown;
  try { json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(16, 16 + headLen))); } catch { throw new BundleError("the report manifest is not valid JSON"); }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) { const i = parsed.error.issues[0]!; throw new BundleError(`report manifest ${i.path.join(".") || "(root)"}: ${i.message}`); }
  const m = parsed.data, base = 16 + headLen;
  const runs: Array<{ runId: string; rows: RunRows }> = [];
  for (const b of m.bundles) {
    if (base + b.offset + b.length > bytes.length) throw new BundleError(`run ${b.run_id} ends past the end of the report bundle`);
    const inner = await readBundle(bytes.subarray(base + b.offset, base + b.offset + b.length));
    if (inner.manifest.run_id !== b.run_id) throw new BundleError(`the bundle listed as run ${b.run_id} holds run ${inner.manifest.run_id}`);
    if (runs.some((r) => r.runId === b.run_id)) throw new BundleError(`run ${b.run_id} is listed twice`);
    runs.push({ runId: b.run_id, rows: inner.rows });
  }
  for (const r of [m.report.run, ...(m.report.compare ?? [])]) {
    if (r !== null && !runs.some((x) => x.runId === r)) throw new BundleError(`the report's run ${r} is not in the bundle`);
  }
  return { link: m.report, runs };
}

/** Inserts the runs the store does not hold yet, in one transaction (models and tensor inventories shared between runs once); returns the runs added. */
export async function importReportBundle(store: Store, runs: Array<{ runId: string; rows: RunRows }>): Promise<string[]> {
  const fresh: typeof runs = [];
  for (const r of runs) if (!(await store.queryRow("SELECT 1 AS x FROM runs WHERE run_id = ?", [r.runId]))) fresh.push(r);
  if (!fresh.length) return [];
  const merged = Object.fromEntries(Object.keys(fresh[0]!.rows).map((t) => [t, fresh.flatMap((r) => r.rows[t as keyof RunRows])])) as RunRows;
  const once = <T>(xs: T[], key: (x: T) => string) => { const seen = new Set<string>(); return xs.filter((x) => !seen.has(key(x)) && !!seen.add(key(x))); };
  merged.models = once(merged.models, (m) => String(m["model_id"]));
  merged.tensors = once(merged.tensors, (t) => `${String(t["model_id"])}\u0000${String(t["name"])}`);
  await importBundle(store, merged);
  return fresh.map((r) => r.runId);
}
