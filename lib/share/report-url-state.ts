/**
 * The report's inputs <-> URL search params, so a copied link reopens the same report: the run it
 * reports (`run`), the two runs a comparison sets side by side (`cmp=a,b`), and the
 * recommendation's task, context and memory budget, which are the recommendation view's own
 * parameters (`r.task`, `r.ctx`, `r.mem`: lib/share/evidence-url-state.ts), so one link gives one
 * answer in both views. Reading is a trust boundary: each value is validated on its own and a bad
 * one falls back to null (the model's own run, context; no task; no budget). Never throws.
 */
import { z } from "zod";
import { TASK_KINDS, type TaskKind } from "../recommend/types.ts";
import { decodeRecommend, EVIDENCE_PARAM } from "./evidence-url-state.ts";
import type { ParamsInput } from "./url-state.ts";

/** What a report link carries beyond the dashboard's ViewState. */
export interface ReportLinkState {
  /** the run reported; null: the latest statistics run of the model on screen */
  run: string | null;
  /** the runs compared (a, b): differences are b - a */
  compare: [string, string] | null;
  task: TaskKind | null;
  context: number | null;
  memoryGb: number | null;
}

export const DEFAULT_REPORT_LINK: ReportLinkState = { run: null, compare: null, task: null, context: null, memoryGb: null };

/** URL parameter names of the report's own values (task, context, budget are EVIDENCE_PARAM's r.*). */
export const REPORT_PARAM = { run: "run", compare: "cmp" } as const;

/** A run id: uuids, and the ids tests and the CLI write (letters, digits, `.:_-`). */
export const RunId = z.string().regex(/^[\w.:-]{1,128}$/);
const Pair = z.string().max(260).transform((s) => s.split(",")).pipe(z.tuple([RunId, RunId]));

const params = (input: ParamsInput) => new URLSearchParams(typeof input === "string" || input instanceof URLSearchParams ? input
  : Object.entries(input).flatMap(([k, v]) => { const x = Array.isArray(v) ? v[0] : v; return typeof x === "string" ? [[k, x]] : []; }));

/** The report inputs a URL describes. */
export function decodeReportLink(input: ParamsInput): ReportLinkState {
  const p = params(input);
  const run = RunId.safeParse(p.get(REPORT_PARAM.run));
  const cmp = Pair.safeParse(p.get(REPORT_PARAM.compare));
  const r = decodeRecommend(p);
  return { run: run.success ? run.data : null, compare: cmp.success ? cmp.data : null, task: r.task, context: r.context, memoryGb: r.memoryGb };
}

/** `base` with the report's parameters replaced by `s` (nulls omitted); other parameters are kept. */
export function encodeReportLink(base: URLSearchParams, s: ReportLinkState): URLSearchParams {
  const p = new URLSearchParams(base);
  const set = (k: string, v: string | number | null) => (v === null ? p.delete(k) : p.set(k, String(v)));
  set(REPORT_PARAM.run, s.run && RunId.safeParse(s.run).success ? s.run : null);
  set(REPORT_PARAM.compare, s.compare && s.compare.every((x) => RunId.safeParse(x).success) ? s.compare.join(",") : null);
  set(EVIDENCE_PARAM.rTask, s.task && (TASK_KINDS as readonly string[]).includes(s.task) ? s.task : null);
  set(EVIDENCE_PARAM.context, s.context);
  set(EVIDENCE_PARAM.memoryGb, s.memoryGb);
  return p;
}
