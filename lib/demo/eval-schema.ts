/**
 * Schema of the embedded demo's precomputed evaluation run (data/demo/<name>-eval.json), written by
 * `npm run demo:data` through `quantlens eval --json` (lib/cli/demo-eval.ts): the first page shows
 * measured damage per spec without loading any weights.
 */
import { z } from "zod";

/** One spec's CONTRACT metrics, as `quantlens eval --json` prints them. */
export const DemoSpecResultSchema = z.object({
  ppl: z.number(), mean_nll: z.number(), kl: z.number(), top1_agreement: z.number(), tokens: z.number().int().positive(),
});

/** A text the run read: its file name (as shipped or in ../shared/corpora), size and sha256. */
const TextFileSchema = z.object({ file: z.string(), bytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

export const DemoEvalSchema = z.object({
  generated_by: z.string(),
  /** the model file evaluated (data/demo/<name>.gguf: the same weights as the statistics' .bin) */
  model: TextFileSchema,
  text: TextFileSchema.extend({ documents: z.number().int().positive() }),
  /** the calibration text of the -awq / -gptq specs */
  calib: TextFileSchema.nullable(),
  /** context length S of the protocol's windows (the model's) */
  context: z.number().int().positive(),
  /** results by spec, in run order (FP32 first) */
  results: z.array(DemoSpecResultSchema.extend({ spec: z.string() })).min(1),
});
export type DemoEval = z.infer<typeof DemoEvalSchema>;
export type DemoSpecResult = DemoEval["results"][number];
