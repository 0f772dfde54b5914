/**
 * `quantlens recommend [<model>] [--params-b 7] [--family LLaMA2] [--task multi_step_reasoning]
 * [--context 8192] [--memory-gb 6] [--target all] [--db results.duckdb] [--json]`: which specs to
 * deploy, from the published evidence (data/evidence/, loaded into the store) and the user's
 * own eval runs of that model in --db. A model is read from its headers only.
 */
import { loadEvidenceFromDir } from "../../evidence/node.ts";
import { modelIdOf } from "../../formats/model-id.ts";
import { openModel } from "../../formats/open.ts";
import { nodeRuntime } from "../../formats/open-node.ts";
import { recommend } from "../../recommend/engine.ts";
import { normalizeFamily } from "../../recommend/family.ts";
import { modelFacts, DEFAULT_CONTEXT, type ModelFacts } from "../../recommend/from-model.ts";
import { TARGETS, TASK_KINDS, type RecommendInput, type Target, type TaskKind } from "../../recommend/types.ts";
import { predictSpecs, type PredictedScore } from "../../recommend/predicted.ts";
import { QUANT_ORDER } from "../../recommend/specs.ts";
import { fetchCalibrationSites, fetchMeasuredSpecs } from "../../store/eval-queries.ts";
import { fetchEvidenceFamilies } from "../../store/evidence-queries.ts";
import { openNodeStore } from "../../store/node.ts";
import type { Effects } from "../effects.ts";
import { CliError } from "../errors.ts";
import { renderRecommendation } from "../recommend-table.ts";

export interface RecommendOptions {
  model?: string;
  json: boolean;
  db?: string;
  paramsB?: string;
  family?: string;
  task?: string;
  context?: string;
  memoryGb?: string;
  target?: string;
  predict?: boolean;
}

/** above any published model; bounds typos such as --params-b 7000000 */
const MAX_PARAMS_B = 10_000;
/** above any context a model states */
const MAX_CONTEXT = 1 << 24;

function positive(name: string, v: string | undefined, opts: { integer?: boolean; max: number }): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v.trim() === "" || !Number.isFinite(x) || x <= 0 || x > opts.max || (opts.integer && !Number.isInteger(x))) {
    throw new CliError(`${name} must be a positive ${opts.integer ? "integer" : "number"} up to ${opts.max}, got "${v}"`);
  }
  return x;
}

function oneOf<T extends string>(name: string, v: string | undefined, allowed: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw new CliError(`${name} must be one of ${allowed.join(", ")}, got "${v}"`);
  return v as T;
}

/** Prints the recommendation as JSON (CONTRACT keys first) or as a table with reasons and row counts. */
export async function run(opts: RecommendOptions, fx: Effects): Promise<void> {
  const paramsB = positive("--params-b", opts.paramsB, { max: MAX_PARAMS_B });
  const context = positive("--context", opts.context, { integer: true, max: MAX_CONTEXT });
  const memoryGb = positive("--memory-gb", opts.memoryGb, { max: 1e6 });
  const task = oneOf<TaskKind>("--task", opts.task, TASK_KINDS) ?? null;
  const target = oneOf<Target>("--target", opts.target, TARGETS) ?? "all";
  if (opts.family !== undefined && !/^[\w.-]{1,40}$/.test(opts.family)) throw new CliError(`--family must be a family name such as LLaMA2 or Mistral, got "${opts.family}"`);
  if (!opts.model && paramsB === undefined) throw new CliError("recommend: give a <model> or --params-b <billions>");

  const store = await openNodeStore(opts.db ?? ":memory:");
  try {
    let facts: ModelFacts | null = null;
    let modelId: string | null = null;
    let predicted: PredictedScore[] | undefined;
    if (opts.model) {
      const source = await openModel(opts.model, { runtime: nodeRuntime });
      try {
        facts = modelFacts(source);
        modelId = modelIdOf(source);
        // --predict reads the weights (everything else comes from the headers)
        if (opts.predict) predicted = await predictSpecs(source, opts.db ? await fetchCalibrationSites(store, modelId) : [], QUANT_ORDER);
      } finally {
        await source.close();
      }
    } else if (opts.predict) throw new CliError("--predict needs a <model> whose weights it reads");
    await loadEvidenceFromDir(store);
    const family = opts.family ? normalizeFamily(opts.family, await fetchEvidenceFamilies(store)) : facts?.family ?? null;
    const input: RecommendInput = {
      paramsB: paramsB ?? facts!.paramsB, family, task, context: context ?? facts?.context ?? DEFAULT_CONTEXT,
      memoryGb: memoryGb ?? null, target, shape: paramsB === undefined ? facts?.shape ?? null : null,
      measured: modelId && opts.db ? await fetchMeasuredSpecs(store, modelId) : [], model: opts.model ?? null, predicted,
    };
    const r = await recommend(store, input);
    fx.out(opts.json ? `${JSON.stringify(r, null, 1)}\n` : renderRecommendation(r));
  } finally {
    await store.close();
  }
}
