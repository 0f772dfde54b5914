/**
 * Every threshold the recommendation engine uses, with where it comes from. The evidence figures
 * quoted are the findings' own data checks (data/evidence/qllm_eval_findings.csv).
 */

/** "< 2% relative drop" is the paper's "negligible" (Qllm-Eval summary, finding F04). */
export const NEGLIGIBLE_DROP_PCT = 2;
/** Above 10% a spec is a loss to avoid: the findings' bands are <2%, 2-10% and "lose more" (F04's check: 58/35/7% of pairs). */
export const ACCEPTABLE_DROP_PCT = 10;
/** "Destroys" / "collapse": more than half the FP16 score gone (F09: W4A4 retention < 0.3 in 63/68 cells). */
export const COLLAPSE_DROP_PCT = 50;
/** Long-context cells "keep performance" when they lose under 5 points (F13's own check). */
export const LONG_CONTEXT_LOSS_POINTS = 5;
/** "Most" = more than half of the pairs or cells. */
export const MOST_SHARE = 0.5;
/** Almost every long-context cell (F13: W8 103/103, W8A8 102/102). */
export const NEARLY_ALL_SHARE = 0.95;
/** MT-Bench (GPT-4 score 1-10) loss that F16 calls negligible. */
export const DIALOGUE_NEGLIGIBLE_SCORE = 0.2;
/** MT-Bench loss where dialogue breaks (F17: W3 loses 0.67, KV3 0.61; W8/KV8 under 0.05): half a point. */
export const DIALOGUE_BREAK_SCORE = 0.5;
/** The paper splits model sizes at 13B (F07 "below 13B", F08 "above 13B"); 30B starts the large band. */
export const SIZE_BANDS_B = [13, 30] as const;
/** Long texts are "> 4k tokens" (F12/F13; LongEval's shortest bucket is 4k). */
export const LONG_CONTEXT_TOKENS = 4096;
/** F05's comparison: smaller model's weight memory within 10% of the larger's at W3 (the finding's own slack). */
export const F05_MEMORY_SLACK = 0.1;
/** Pairs for full weight of the evidence count in a confidence (about one family's sizes x datasets of a task). */
export const FULL_CONFIDENCE_PAIRS = 20;
/** Confidence labels. */
export const CONFIDENCE_HIGH = 0.5;
export const CONFIDENCE_MEDIUM = 0.2;
/** Memory budget unit: GB as GPU memory is sold (2^30 bytes). */
export const BYTES_PER_GB = 2 ** 30;
/** Group size of the candidate specs (DESIGN.md's default g128, Qllm-Eval's default). */
export const DEFAULT_GROUP_SIZE = 128;
/**
 * The user's measured damage, as the level of a bucket. Top-1 agreement: >= 0.95 (one predicted
 * token in 20 changes) is "recommended"-level, >= 0.85 "acceptable", below is "avoid". KL (nats, mean
 * per token, DESIGN.md's eval protocol): <= 0.05 recommended, <= 0.25 acceptable. These are this
 * project's heuristics (no published mapping from KL to task accuracy exists); the worse of the two counts.
 */
export const MEASURED_TOP1_RECOMMENDED = 0.95;
export const MEASURED_TOP1_ACCEPTABLE = 0.85;
export const MEASURED_KL_RECOMMENDED = 0.05;
export const MEASURED_KL_ACCEPTABLE = 0.25;
