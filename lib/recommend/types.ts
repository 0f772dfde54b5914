/** Inputs and outputs of the recommendation engine (plain data, JSON-ready, for the CLI and the dashboard). */

export const TASK_KINDS = ["basic_nlp", "in_context_learning", "instruction_following", "multi_step_reasoning", "self_calibration", "dialogue", "long_context", "ethics"] as const;
export type TaskKind = (typeof TASK_KINDS)[number];
export const TARGETS = ["weights", "weights+activations", "kv", "all"] as const;
export type Target = (typeof TARGETS)[number];
export const BUCKETS = ["recommended", "acceptable", "avoid"] as const;
export type Bucket = (typeof BUCKETS)[number];

/** The user's own measured damage of one spec (latest eval run of the model). */
export interface MeasuredSpec { spec: string; kl: number | null; top1_agreement: number | null; ppl: number | null; run_id: string }

/** What the weights and KV cache are made of, when a model was opened (else estimated from the parameter count). */
export interface ModelShape {
  params: number;
  linears: Array<{ rows: number; cols: number }>;
  kv: { layers: number; kvHeads: number; headDim: number } | null;
}

export interface RecommendInput {
  /** parameters in billions */
  paramsB: number;
  family: string | null;
  task: TaskKind | null;
  /** context length in tokens */
  context: number;
  memoryGb: number | null;
  target: Target;
  /** shapes from the opened model (null: estimated from paramsB) */
  shape: ModelShape | null;
  /** the user's measured runs of this model (may be empty) */
  measured: MeasuredSpec[];
  /** where the inputs came from (model path, options), echoed in the output */
  model?: string | null;
  /** predicted sensitivity per spec (predicted.ts), when the model's weights were read */
  predicted?: Array<{ spec: string; worst_sqnr_db: number; mean_sqnr_db: number; worst: string; tensors: number }>;
}
