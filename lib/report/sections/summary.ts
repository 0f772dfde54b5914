/** Model summary: architecture, parameters, bytes by dtype, memory at W16/W8/W4/W3 and the KV cache at a context. */
import { kvCacheMemory, kvShapeOf, quantizedLinears, weightMemory } from "../../quant/memory.ts";
import type { ReportContext } from "../context.ts";
import { code, num, p, type Inline, type Section, type Table } from "../model.ts";
import { fromQuery } from "../query-log.ts";

/** Weight bit widths of the memory table (W16 = no quantization). */
export const REPORT_WEIGHT_BITS = [16, 8, 4, 3] as const;
/** KV cache bit widths of the memory table. */
export const REPORT_KV_BITS = [16, 8, 4, 3] as const;
/** Group size of the memory figures (DESIGN.md's default g128, asymmetric). */
export const REPORT_GROUP_SIZE = 128;

/** Config keys shown, with labels (ModelConfig field names as the readers report them). */
const CONFIG_FIELDS: Array<[string, string]> = [
  ["dim", "hidden size"], ["hiddenDim", "MLP size"], ["nLayers", "layers"], ["nHeads", "attention heads"],
  ["nKvHeads", "KV heads"], ["vocabSize", "vocabulary"], ["contextLength", "context length"], ["ropeTheta", "RoPE theta"],
  ["normEps", "norm epsilon"], ["tiedEmbeddings", "tied embeddings"],
];

interface DtypeRow { dtype: string; tensors: number; params: number; bytes: number }

/** Builds the summary section. */
export async function summarySection(ctx: ReportContext): Promise<Section> {
  const { log, model, config } = ctx;
  const totals = await log.rows<DtypeRow>("dtype_totals", [model.model_id]);
  const shapes = await log.rows<{ name: string; shape: number[] }>("tensor_shapes", [model.model_id]);
  const params = totals.reduce((s, d) => s + Number(d.params), 0);
  const bytes = totals.reduce((s, d) => s + Number(d.bytes), 0);
  const src = fromQuery("dtype_totals");
  const arch: Inline[][] = [["architecture", model.architecture ?? "unknown"], ["format", model.format]];
  for (const [key, label] of CONFIG_FIELDS) {
    const v = config[key];
    if (typeof v === "number") arch.push([label, num(v, Number.isInteger(v) ? { kind: "int" } : { kind: "sig", digits: 4 }, fromQuery("model"))]);
    else if (typeof v === "boolean") arch.push([label, v ? "yes" : "no"]);
  }
  const byDtype: Table = {
    kind: "table", id: "bytes-by-dtype", caption: "Tensors, parameters and bytes by dtype (shared storage counted once)",
    columns: [{ label: "dtype" }, { label: "tensors", align: "right" }, { label: "parameters", align: "right" }, { label: "bytes", align: "right" }],
    rows: totals.map((d) => [code(d.dtype), num(d.tensors, { kind: "int" }, src), num(Number(d.params), { kind: "int" }, src), num(Number(d.bytes), { kind: "bytes" }, src)]),
  };
  return {
    id: "summary", title: "Model summary",
    blocks: [
      p("Model ", code(model.name), ` (${model.format}): `, num(params, { kind: "int" }, src), " parameters in ",
        num(bytes, { kind: "bytes" }, src), " of tensor data."),
      { kind: "table", id: "architecture", caption: "Architecture", columns: [{ label: "field" }, { label: "value", align: "right" }], rows: arch },
      byDtype,
      weightTable(params, quantizedLinears(shapes)),
      kvTable(ctx),
    ],
  };
}

function weightTable(params: number, linears: ReturnType<typeof quantizedLinears>): Table {
  const src = fromQuery(["dtype_totals", "tensor_shapes"], "weightMemory (lib/quant/memory.ts)");
  const w16 = weightMemory(params, linears, 16, REPORT_GROUP_SIZE).total;
  return {
    kind: "table", id: "weight-memory",
    caption: `Weights in memory at W16/W8/W4/W3 (asymmetric RTN, g${REPORT_GROUP_SIZE}: one fp16 scale and zero per group; embeddings, norms and lm_head stay at 16 bits)`,
    columns: [{ label: "weights" }, { label: "bytes", align: "right" }, { label: "bits per quantized weight", align: "right" }, { label: "of W16", align: "right" }],
    rows: REPORT_WEIGHT_BITS.map((b) => {
      const m = weightMemory(params, linears, b, REPORT_GROUP_SIZE);
      return [code(`W${b}`), num(m.total, { kind: "bytes" }, src), num(m.bitsPerWeight, { kind: "fixed", digits: 3 }, src), num(w16 ? m.total / w16 : null, { kind: "pct", digits: 1 }, src)];
    }),
  };
}

function kvTable(ctx: ReportContext): Table {
  const shape = kvShapeOf(ctx.config);
  const src = fromQuery("model", "kvCacheMemory (lib/quant/memory.ts)");
  return {
    kind: "table", id: "kv-memory",
    caption: `KV cache at a context of ${ctx.context} tokens, batch 1 (K and V per layer and KV head; below 16 bits one fp16 scale and zero per token and head)`,
    columns: [{ label: "KV cache" }, { label: "bytes", align: "right" }],
    rows: shape
      ? REPORT_KV_BITS.map((b) => [code(`KV${b}`), num(kvCacheMemory(shape, ctx.context, 1, b).total, { kind: "bytes" }, src)])
      : [["the model's config has no layer/head sizes", num(null, { kind: "bytes" }, src)]],
  };
}
