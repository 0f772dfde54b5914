/**
 * The CONTRACT row of one tensor (the keys of `quantlens stats --json` and of the dashboard's
 * table) and the per-tensor extras of a ModelAnalysis, as zod schemas: the demo file, bundles and
 * the CLI all validate against these.
 */
import { z } from "zod";

const num = z.number().nullable();

export const TensorRowSchema = z.object({
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.string(),
  numel: z.number().int().nonnegative(),
  absmax: num, mean: num, std: num, kurtosis: num, min: num, max: num,
  nan_count: z.number().int(), inf_count: z.number().int(), zero_count: z.number().int(),
  outlier_fraction: num, absmax_over_std: num,
  top_input_channels: z.array(z.tuple([z.number(), z.number()])).nullable(),
  top_output_channels: z.array(z.tuple([z.number(), z.number()])).nullable(),
});
export type TensorRow = z.infer<typeof TensorRowSchema>;

/** ChannelAbsmax (types.ts) */
export const ChannelAbsmaxSchema = z.object({
  input: z.array(z.number()), inputStride: z.number().int().positive(),
  output: z.array(z.number()), outputStride: z.number().int().positive(),
});
/** TensorHistogram (types.ts) */
export const TensorHistogramSchema = z.object({ lo: z.number(), hi: z.number(), counts: z.array(z.number().int().nonnegative()) });
/** SpecQuantError (lib/quant/whatif.ts; SQNR is +Infinity for an exact round trip: JSON writes null) */
export const SpecQuantErrorSchema = z.object({
  spec: z.string(), relMse: z.number(), sqnrDb: z.number().nullable().transform((v) => v ?? Infinity),
});
