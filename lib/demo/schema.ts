/** Schema of the embedded demo results (data/demo/*.json), written by `npm run demo:data`. */
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

/** lib/dashboard/types.ts ChannelAbsmax */
export const ChannelAbsmaxSchema = z.object({
  input: z.array(z.number()), inputStride: z.number().int().positive(),
  output: z.array(z.number()), outputStride: z.number().int().positive(),
});
/** lib/dashboard/types.ts TensorHistogram */
export const TensorHistogramSchema = z.object({ lo: z.number(), hi: z.number(), counts: z.array(z.number().int().nonnegative()) });
/** lib/dashboard/types.ts SpecError (SQNR is +Infinity for an exact round trip: JSON writes null) */
export const SpecErrorSchema = z.object({
  spec: z.string(), relMse: z.number(), sqnrDb: z.number().nullable().transform((v) => v ?? Infinity),
});

export const DemoSchema = z.object({
  generated_by: z.string(),
  model: z.object({
    name: z.string(),
    format: z.string(),
    params: z.number(),
    bytes: z.number(),
    tensorCount: z.number(),
    config: z.record(z.string(), z.unknown()),
    byDtype: z.array(z.object({ dtype: z.string(), tensors: z.number(), params: z.number(), bytes: z.number() })),
  }),
  tensors: z.array(TensorRowSchema),
  /** by tensor name (2-D tensors) */
  channels: z.record(z.string(), ChannelAbsmaxSchema).default({}),
  histograms: z.record(z.string(), TensorHistogramSchema).default({}),
  /** by linear weight name: RTN errors over the what-if grid (lib/dashboard/analysis.ts WHATIF_*) */
  quantErrors: z.record(z.string(), z.array(SpecErrorSchema)).default({}),
});
export type Demo = z.infer<typeof DemoSchema>;
