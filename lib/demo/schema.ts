/** Schema of the embedded demo results (data/demo/*.json), written by `npm run demo:data`. */
import { z } from "zod";
import { ChannelAbsmaxSchema, SpecQuantErrorSchema, TensorHistogramSchema, TensorRowSchema } from "../analysis/schema.ts";

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
  /** by linear weight name: RTN errors over the what-if grid (lib/quant/whatif.ts WHATIF_*) */
  quantErrors: z.record(z.string(), z.array(SpecQuantErrorSchema)).default({}),
});
export type Demo = z.infer<typeof DemoSchema>;
