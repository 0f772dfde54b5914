/** Builds the embedded demo document for a model: its summary, statistics and RTN errors of its linear weights. */
import { openModelNode } from "../formats/open-node.ts";
import { moduleOf } from "../formats/names.ts";
import { summarize } from "../formats/summary.ts";
import type { TensorInfo, TensorSource } from "../formats/types.ts";
import { modelStats } from "../stats/model-stats.ts";
import type { TensorStats } from "../stats/types.ts";
import { decodeToF32 } from "../tensor/decode.ts";
import { analysisFromStats, QUANTIZED_MODULES, weightSpec, WHATIF_BITS, WHATIF_GROUP_SIZES } from "../dashboard/analysis.ts";
import { matrixQuantError } from "../quant/error.ts";
import type { SpecError } from "../dashboard/types.ts";
import { VERSION } from "../version.ts";
import { DemoSchema, type Demo } from "./schema.ts";

/** Opens `modelPath` and computes every tensor's statistics; `name` is the label shown. */
export async function demoFromModel(modelPath: string, name: string): Promise<Demo> {
  const source = await openModelNode(modelPath);
  try {
    const s = summarize(source);
    const stats: TensorStats[] = [];
    for await (const t of modelStats(source, source.tensors)) stats.push(t);
    const quantErrors: Record<string, SpecError[]> = {};
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

/** 2-D weights of the linear layers weight quantization touches (lm_head excluded, DESIGN.md). */
export function isQuantizedLinear(t: Pick<TensorInfo, "name" | "shape">): boolean {
  return t.shape.length === 2 && (QUANTIZED_MODULES as readonly string[]).includes(moduleOf(t.name));
}

/** The weight as a row-major [out, in] f32 matrix (a weight stored [in, out] is transposed). */
export async function weightMatrix(source: TensorSource, t: TensorInfo): Promise<{ w: Float32Array; rows: number; cols: number }> {
  const bytes = new Uint8Array(t.byteLength);
  let o = 0;
  for await (const c of source.readRaw(t)) { bytes.set(c, o); o += c.length; }
  const x = decodeToF32(t.dtype, bytes);
  const [r, c] = [t.shape[0]!, t.shape[1]!];
  if (t.layout !== "in_out") return { w: x, rows: r, cols: c };
  const w = new Float32Array(x.length); // stored [in = r, out = c] -> [out, in]
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) w[j * r + i] = x[i * c + j]!;
  return { w, rows: c, cols: r };
}

/** RTN errors (asymmetric) of one weight over the what-if grid: bits x group sizes. */
async function weightErrors(source: TensorSource, t: TensorInfo): Promise<SpecError[]> {
  const { w, rows, cols } = await weightMatrix(source, t);
  const out: SpecError[] = [];
  for (const groupSize of WHATIF_GROUP_SIZES) {
    for (const bits of WHATIF_BITS) {
      const e = matrixQuantError(w, rows, cols, { bits, groupSize, sym: false });
      // an all-zero weight has no ratio to report
      if (e.relMse !== null && e.sqnrDb !== null) out.push({ spec: weightSpec(bits, groupSize), relMse: e.relMse, sqnrDb: e.sqnrDb });
    }
  }
  return out;
}
