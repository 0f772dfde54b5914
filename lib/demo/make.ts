/** Builds the embedded demo document for a model: its summary, statistics and RTN errors of its linear weights. */
import { openModel } from "../formats/open.ts";
import { nodeRuntime } from "../formats/open-node.ts";
import { readTensorBytes } from "../formats/read-tensor.ts";
import { summarize } from "../formats/summary.ts";
import type { TensorInfo, TensorSource } from "../formats/types.ts";
import { modelStats } from "../stats/engine/model-stats.ts";
import type { TensorStats } from "../stats/types.ts";
import { analysisFromStats } from "../analysis/analysis.ts";
import { VERSION } from "../version.ts";
import { DemoSchema, type Demo } from "./schema.ts";
import { isQuantizedLinear, weightMatrix, whatifErrors, type SpecQuantError } from "../quant/whatif.ts";

/** Opens `modelPath` and computes every tensor's statistics; `name` is the label shown. */
export async function demoFromModel(modelPath: string, name: string): Promise<Demo> {
  const source = await openModel(modelPath, { runtime: nodeRuntime });
  try {
    const s = summarize(source);
    const stats: TensorStats[] = [];
    for await (const t of modelStats(source, source.tensors)) stats.push(t);
    const quantErrors: Record<string, SpecQuantError[]> = {};
    for (const t of source.tensors) {
      if (!isQuantizedLinear(t)) continue;
      const errors = await weightErrors(source, t);
      if (errors.length) quantErrors[t.name] = errors;
    }
    const a = analysisFromStats("demo", { ...s, name }, stats, quantErrors, {
      generatedBy: `quantlens ${VERSION} stats on ${name} (${s.format}, karpathy/tinyllamas)`,
    });
    return DemoSchema.parse({
      generated_by: a.generatedBy, model: a.model, tensors: a.tensors,
      channels: a.channels, histograms: a.histograms, quantErrors: a.quantErrors,
    });
  } finally {
    await source.close();
  }
}

/** RTN errors (asymmetric) of one stored weight over the what-if grid. */
async function weightErrors(source: TensorSource, t: TensorInfo): Promise<SpecQuantError[]> {
  const { w, rows, cols } = weightMatrix(t.dtype, t.shape, await readTensorBytes(source, t), t.layout);
  return whatifErrors(w, rows, cols);
}
