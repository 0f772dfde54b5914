/**
 * The evidence explorer's filters and the recommendation view's inputs <-> URL search params,
 * beside url-state.ts's ViewState (whose encodeView carries these parameters over unchanged).
 * Reading is a trust boundary: each parameter is validated on its own with zod and a bad value
 * falls back to its default (null: "any" for a filter, "from the opened model" for an input).
 */
import { z } from "zod";
import type { ExplorerFilter } from "../store/evidence-explorer.ts";
import { TARGETS, TASK_KINDS, type Target, type TaskKind } from "../recommend/types.ts";
import { MAX_PARAM_LENGTH, type ParamsInput } from "./url-state.ts";

export interface ExplorerState { filter: ExplorerFilter; measure: "absolute" | "relative" }

/** null: take it from the opened model (params, family, context) or the CLI's default (target "all"). */
export interface RecommendState {
  paramsB: number | null; family: string | null; task: TaskKind | null; context: number | null; memoryGb: number | null; target: Target;
}

export const DEFAULT_EXPLORER: ExplorerState = {
  filter: { family: null, sizeMinB: null, sizeMaxB: null, task: null, ability: null, dataset: null, target: null, bits: null, method: null },
  measure: "absolute",
};
export const DEFAULT_RECOMMEND: RecommendState = { paramsB: null, family: null, task: null, context: null, memoryGb: null, target: "all" };

/** URL parameter names: `e.` for the explorer, `r.` for the recommendation view. */
export const EVIDENCE_PARAM = {
  family: "e.family", sizeMinB: "e.min", sizeMaxB: "e.max", task: "e.task", ability: "e.ability", dataset: "e.dataset",
  target: "e.target", bits: "e.bits", method: "e.method", measure: "e.y",
  paramsB: "r.params", rFamily: "r.family", rTask: "r.task", context: "r.ctx", memoryGb: "r.mem", rTarget: "r.target",
} as const;

/** A label as the evidence spells it (letters, digits, a few separators). */
const label = z.string().max(MAX_PARAM_LENGTH).regex(/^[\w .+\-/()]{1,128}$/);
const positive = (max: number) => z.string().regex(/^\d{1,7}(\.\d{1,4})?$/).transform(Number).pipe(z.number().positive().max(max));

const FIELDS = {
  family: label, sizeMinB: positive(10_000), sizeMaxB: positive(10_000), task: label, ability: label, dataset: label,
  target: z.enum(["none", "W", "WA", "KV", "WKV"]), bits: positive(16), method: label, measure: z.enum(["absolute", "relative"]),
  paramsB: positive(10_000), rFamily: label, rTask: z.enum(TASK_KINDS), context: positive(10_000_000).pipe(z.number().int()),
  memoryGb: positive(100_000), rTarget: z.enum(TARGETS),
};
type Field = keyof typeof FIELDS;

function read<F extends Field>(p: URLSearchParams, f: F): z.output<(typeof FIELDS)[F]> | null {
  const raw = p.get(EVIDENCE_PARAM[f]);
  if (raw === null) return null;
  const r = FIELDS[f].safeParse(raw);
  return r.success ? (r.data as z.output<(typeof FIELDS)[F]>) : null;
}

const toParams = (input: ParamsInput) => (input instanceof URLSearchParams || typeof input === "string" ? new URLSearchParams(input)
  : new URLSearchParams(Object.entries(input).flatMap(([k, v]) => { const x = Array.isArray(v) ? v[0] : v; return typeof x === "string" ? [[k, x]] : []; })));

/** The explorer state a URL describes; invalid values are "any". */
export function decodeExplorer(input: ParamsInput): ExplorerState {
  const p = toParams(input);
  return {
    filter: {
      family: read(p, "family"), sizeMinB: read(p, "sizeMinB"), sizeMaxB: read(p, "sizeMaxB"), task: read(p, "task"), ability: read(p, "ability"),
      dataset: read(p, "dataset"), target: read(p, "target"), bits: read(p, "bits"), method: read(p, "method"),
    },
    measure: read(p, "measure") ?? DEFAULT_EXPLORER.measure,
  };
}

/** The recommendation inputs a URL describes; invalid values fall back to the opened model's. */
export function decodeRecommend(input: ParamsInput): RecommendState {
  const p = toParams(input);
  return {
    paramsB: read(p, "paramsB"), family: read(p, "rFamily"), task: read(p, "rTask"), context: read(p, "context"),
    memoryGb: read(p, "memoryGb"), target: read(p, "rTarget") ?? DEFAULT_RECOMMEND.target,
  };
}

/** `base` with the explorer and recommendation parameters replaced by `e` and `r` (defaults omitted). */
export function encodeEvidenceState(base: URLSearchParams, e: ExplorerState, r: RecommendState): URLSearchParams {
  const p = new URLSearchParams(base);
  for (const k of Object.values(EVIDENCE_PARAM)) p.delete(k);
  const set = (f: Field, v: string | number | null) => { if (v !== null && String(v).length <= MAX_PARAM_LENGTH) p.set(EVIDENCE_PARAM[f], String(v)); };
  const f = e.filter;
  set("family", f.family); set("sizeMinB", f.sizeMinB); set("sizeMaxB", f.sizeMaxB); set("task", f.task); set("ability", f.ability);
  set("dataset", f.dataset); set("target", f.target); set("bits", f.bits); set("method", f.method);
  if (e.measure !== DEFAULT_EXPLORER.measure) set("measure", e.measure);
  set("paramsB", r.paramsB); set("rFamily", r.family); set("rTask", r.task); set("context", r.context); set("memoryGb", r.memoryGb);
  if (r.target !== DEFAULT_RECOMMEND.target) set("rTarget", r.target);
  return p;
}
