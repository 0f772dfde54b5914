/** The recommendation's output shapes: per spec details, rationale entries (CONTRACT), inputs. */
import type { Agreement } from "./measured.ts";
import type { Footprint } from "./memory.ts";
import type { Bucket, Target, TaskKind } from "./types.ts";

/** A rule that spoke of a spec: whether its data check held and whether it decided the bucket. */
export interface FiredRule { rule: string; finding: string; condition: string; reason: string; bucket: Bucket; holds: boolean; applied: boolean; check: string; evidence: string[] }

/** The evidence behind a spec in the user's scope. */
export interface SpecAggregateView { scope: string; widened: number; pairs: number; rows: number; mean_rel_drop_pct: number; max_rel_drop_pct: number; mean_point_drop: number; text: string }

/** Everything said about one candidate spec. */
export interface SpecResult {
  spec: string;
  bucket: Bucket;
  /** what decided the bucket: a rule, the evidence aggregate, its parts' buckets, the memory budget, the user's run */
  basis: "rule" | "evidence" | "composed" | "memory" | "measured" | "none";
  reason: string;
  rules: FiredRule[];
  evidence: string[];
  aggregate: SpecAggregateView | null;
  confidence: { value: number; label: "high" | "medium" | "low" };
  memory: Footprint & { fits: boolean | null };
  measured: Agreement | null;
  /** predicted sensitivity (worst-layer SQNR, dB) beside the evidence and the measurement; null when not computed */
  predicted: { worst_sqnr_db: number; mean_sqnr_db: number; worst: string; tensors: number } | null;
}

/** One rationale entry (CONTRACT shape: rule, text, specs, evidence). */
export interface RationaleEntry { rule: string; text: string; specs: string[]; evidence: string[]; finding?: string; holds?: boolean }

/** The engine's answer; `recommended`/`acceptable`/`avoid`/`rationale`/`inputs` are the CLI's --json CONTRACT. */
export interface Recommendation {
  recommended: string[];
  acceptable: string[];
  avoid: string[];
  rationale: RationaleEntry[];
  inputs: {
    model: string | null; params_b: number; family: string | null; task: TaskKind | null; context: number;
    memory_gb: number | null; target: Target; shape: "from the model file" | "estimated from the parameter count"; measured_specs: string[];
  };
  specs: SpecResult[];
}
