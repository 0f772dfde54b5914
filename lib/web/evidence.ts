/**
 * The evidence in the dashboard's store: the three CSVs fetched from this app
 * (app/data/evidence/[file]/route.ts), loaded once with lib/evidence's loader (skipped when the
 * persistent store already holds them), and the recommendation input of the model on screen.
 */
import type { ModelAnalysis } from "../analysis/types.ts";
import { LLAMA3_RESULTS, QLLM_FINDINGS, QLLM_RESULTS } from "../evidence/files.ts";
import { checkEvidence, loadEvidence, type EvidenceSummary } from "../evidence/load.ts";
import { kvShapeOf, quantizedLinears } from "../quant/memory.ts";
import { familyOf } from "../recommend/family.ts";
import { DEFAULT_CONTEXT } from "../recommend/from-model.ts";
import type { MeasuredSpec, RecommendInput } from "../recommend/types.ts";
import type { RecommendState } from "../share/evidence-url-state.ts";
import type { Store } from "../store/store.ts";
import { fetchMeasuredSpecsOf } from "../store/measured-by-source.ts";
import { DEMO_STORE } from "../demo/seed.ts";

/** Where the app serves data/evidence/. */
export const EVIDENCE_URL = "/data/evidence/";

/** What loading cost: whether the store already had the rows, and the milliseconds of each step. */
export interface EvidenceLoad { summary: EvidenceSummary; cached: boolean; fetchMs: number; loadMs: number }

async function fetchText(file: string): Promise<string> {
  const r = await fetch(`${EVIDENCE_URL}${file}`);
  if (!r.ok) throw new Error(`${file}: HTTP ${r.status} from ${EVIDENCE_URL}`);
  return r.text();
}

/** Loads the evidence into `store` unless it is already there (and checked). */
export async function ensureEvidence(store: Store): Promise<EvidenceLoad> {
  const t0 = performance.now();
  try {
    return { summary: await checkEvidence(store), cached: true, fetchMs: 0, loadMs: performance.now() - t0 };
  } catch {
    // not loaded yet (or partly): fetch the files and run the loader
  }
  const [qllmResults, qllmFindings, llama3Results] = await Promise.all([fetchText(QLLM_RESULTS.file), fetchText(QLLM_FINDINGS.file), fetchText(LLAMA3_RESULTS.file)]);
  const t1 = performance.now();
  const summary = await loadEvidence(store, { qllmResults, qllmFindings, llama3Results });
  return { summary, cached: false, fetchMs: t1 - t0, loadMs: performance.now() - t1 };
}

/** The deployment facts of the analysis on screen: size, family by name, context, weight and KV shapes. */
export function modelDefaults(a: ModelAnalysis): { paramsB: number; family: string | null; context: number; shape: RecommendInput["shape"] } {
  const c = a.model.config;
  const arch = typeof c.architecture === "string" ? c.architecture : null;
  const ctx = typeof c.contextLength === "number" && c.contextLength > 0 ? c.contextLength : DEFAULT_CONTEXT;
  const linears = quantizedLinears(a.tensors);
  return {
    paramsB: a.model.params / 1e9, family: familyOf(a.model.name, a.id, arch), context: ctx,
    shape: linears.length ? { params: a.model.params, linears, kv: kvShapeOf(c) } : null,
  };
}

/** The engine's input: the URL's values where set, else the opened model's (shape only when the size is the model's own). */
export function recommendInputOf(a: ModelAnalysis, s: RecommendState, measured: MeasuredSpec[]): RecommendInput {
  const d = modelDefaults(a);
  const own = s.paramsB === null;
  return {
    paramsB: s.paramsB ?? d.paramsB, family: s.family ?? d.family, task: s.task, context: s.context ?? d.context, memoryGb: s.memoryGb,
    target: s.target, shape: own ? d.shape : null, measured: own ? measured : [], model: own ? a.id : null,
  };
}

/** The run id a precomputed evaluation (the demo's) goes by in a recommendation's measured specs: the one its report's store gives it. */
export const EMBEDDED_RUN_ID = DEMO_STORE.evalRun;

/** The evaluation carried with the analysis (the demo's) as measured specs; [] when there is none. */
export function embeddedMeasured(a: ModelAnalysis): MeasuredSpec[] {
  return (a.measured?.results ?? []).map((r) => ({ spec: r.spec, kl: r.kl, top1_agreement: r.top1_agreement, ppl: r.ppl, run_id: EMBEDDED_RUN_ID }));
}

/** The evaluation carried with the model on screen, each spec replaced by the user's own latest run of it in the store (and theirs added). */
export async function measuredSpecsFor(store: Store, a: ModelAnalysis): Promise<MeasuredSpec[]> {
  const stored = await fetchMeasuredSpecsOf(store, a.id);
  const own = new Map(stored.map((r) => [r.spec, r]));
  return [...embeddedMeasured(a).map((r) => own.get(r.spec) ?? r), ...stored.filter((r) => !embeddedMeasured(a).some((e) => e.spec === r.spec))];
}
