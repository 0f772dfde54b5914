/**
 * From the user's inputs to the evidence they should read (EvidenceScope): the task kind's
 * rows, the size band of the user's model, and long-context rows above 4k tokens.
 */
import type { EvidenceScope } from "../store/evidence-aggregates.ts";
import { LONG_CONTEXT_TOKENS, SIZE_BANDS_B } from "./constants.ts";
import type { RecommendInput, TaskKind } from "./types.ts";

/** Where each task kind's evidence sits in the Qllm-Eval table (README: ability mapping of plot_ability.py). */
export const TASK_SCOPES: Record<TaskKind, EvidenceScope> = {
  basic_nlp: { taskCategories: ["basic_nlp"] },
  in_context_learning: { abilities: ["in_context_learning"] },
  instruction_following: { abilities: ["instruction_following"] },
  multi_step_reasoning: { abilities: ["multi_step_reasoning"] },
  self_calibration: { abilities: ["self_calibration"] },
  dialogue: { taskCategories: ["dialogue"] },
  long_context: { taskCategories: ["long_context"] },
  ethics: { taskCategories: ["trustworthiness"], datasets: ["ethics_commonsense", "ethics_deontology", "ethics_justice", "ethics_virtue"] },
};

/** Human names of the task scopes, for aggregate texts. */
export const TASK_LABELS: Record<TaskKind, string> = {
  basic_nlp: "basic NLP", in_context_learning: "in-context learning", instruction_following: "instruction following",
  multi_step_reasoning: "multi-step reasoning", self_calibration: "self-calibration", dialogue: "dialogue",
  long_context: "long context", ethics: "ethics",
};

/** True for a long-text deployment: a context above 4k tokens, or the long_context task. */
export function isLongContext(input: Pick<RecommendInput, "context" | "task">): boolean {
  return input.context > LONG_CONTEXT_TOKENS || input.task === "long_context";
}

/** The paper's size band of a model: under 13B, 13B to 30B, 30B and above. */
export function sizeBand(paramsB: number): { sizeMinB?: number; sizeMaxB?: number; label: string } {
  const [a, b] = SIZE_BANDS_B;
  if (paramsB < a) return { sizeMaxB: a, label: `models under ${a}B` };
  if (paramsB < b) return { sizeMinB: a, sizeMaxB: b, label: `models of ${a}B to ${b}B` };
  return { sizeMinB: b, label: `models of ${b}B and above` };
}

/** One scope with its label; `widened` says how far it was widened from the user's own. */
export interface LabelledScope { scope: EvidenceScope; label: string; widened: number }

/** The user's scope, then wider ones (no size band, then no task) for specs the narrow one has no rows for. */
export function userScopes(input: RecommendInput): LabelledScope[] {
  const long = isLongContext(input);
  const task: EvidenceScope = long
    ? { taskCategories: ["long_context"], ...(input.task === "long_context" && input.context <= LONG_CONTEXT_TOKENS ? {} : { maxContextTokens: input.context }) }
    : input.task ? TASK_SCOPES[input.task] : {};
  const taskLabel = long ? `long context up to ${input.context} tokens` : input.task ? TASK_LABELS[input.task] : "all tasks";
  const band = sizeBand(input.paramsB);
  const { label: bandLabel, ...bandScope } = band;
  // the LLaMA3 study's rows sit under their own task groups, so only task-free scopes read them
  const l3 = { includeLlama3: true };
  return [
    { scope: { ...task, ...bandScope, ...l3 }, label: `${taskLabel} for ${bandLabel}`, widened: 0 },
    { scope: { ...task, ...l3 }, label: `${taskLabel} for models of any size`, widened: 1 },
    { scope: l3, label: "all tasks and sizes", widened: 2 },
  ];
}
