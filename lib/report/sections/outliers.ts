/**
 * Outlier findings from tensor_stats and channel_stats: the tensors, modules and layers most prone
 * to outliers (kurtosis; absmax/std), the input channels that dominate across layers, a layer x
 * module heatmap and the worst tensor's histogram.
 */
import type { ReportContext } from "../context.ts";
import { code, num, p, type Block, type HistogramChart, type Inline, type Section, type Table } from "../model.ts";
import { fromQuery } from "../query-log.ts";

/** Tensors listed in the top tables. */
export const TOP_TENSORS = 8;
/** A channel counts as dominant in a tensor when it is among that tensor's largest TOP_K column absmax. */
export const DOMINANT_TOP_K = 3;
/** Channels listed. */
export const DOMINANT_CHANNELS = 8;

const k4 = { kind: "sig", digits: 4 } as const;
const int = { kind: "int" } as const;

interface TopRow { name: string; layer: number | null; module: string; kurtosis: number | null; absmax_over_std: number | null; absmax: number | null; std: number | null; outlier_fraction?: number | null }

/** Builds the outlier section (or a note when the store holds no statistics run). */
export async function outlierSection(ctx: ReportContext): Promise<Section> {
  const section: Section = { id: "outliers", title: "Outlier findings", blocks: [] };
  if (!ctx.statsRun) {
    section.blocks.push(p("The store holds no statistics run of this model; run ", code("quantlens stats <model> --db <file>"), "."));
    return section;
  }
  const { log } = ctx;
  const run = ctx.statsRun;
  const byKurt = await log.rows<TopRow>("top_tensors_by_kurtosis", [run, TOP_TENSORS]);
  const byRatio = await log.rows<TopRow>("top_tensors_by_absmax_std", [run, TOP_TENSORS]);
  const modules = await log.rows<{ module: string; tensors: number; mean_kurtosis: number; max_kurtosis: number; mean_absmax_std: number; max_absmax_std: number }>("module_outliers", [run]);
  const layers = await log.rows<{ layer: number; max_kurtosis: number; kurtosis_module: string; max_absmax_std: number; absmax_std_module: string }>("layer_outliers", [run]);
  const channels = await log.rows<{ first_channel: number; bucket_size: number; tensors: number; layers: number; mean_ratio: number; max_ratio: number }>("dominant_input_channels", [run, DOMINANT_TOP_K, DOMINANT_CHANNELS]);
  const cells = await log.rows<{ layer: number; module: string; name: string; value: number | null }>("layer_module_kurtosis", [run]);
  const worst = await log.row<{ name: string; kurtosis: number; mean: number; std: number; absmax: number; n: number; histogram: string }>("worst_tensor_histogram", [run]);

  const sK = fromQuery("top_tensors_by_kurtosis"), sR = fromQuery("top_tensors_by_absmax_std"), sM = fromQuery("module_outliers");
  const top = byKurt[0], topRatio = byRatio[0], topModule = [...modules].sort((a, b) => b.mean_kurtosis - a.mean_kurtosis)[0];
  const lead: Inline[] = [];
  if (top) lead.push("The heaviest-tailed 2-D tensor is ", code(top.name), " with kurtosis ", num(top.kurtosis, k4, sK), " (a normal distribution gives 3)");
  if (topRatio) lead.push(lead.length ? "; the largest absmax/std is " : "The largest absmax/std is ", num(topRatio.absmax_over_std, k4, sR), " in ", code(topRatio.name));
  if (topModule) lead.push(". By module kind, ", code(topModule.module), " has the highest mean kurtosis over its layers (", num(topModule.mean_kurtosis, k4, sM), ")");
  if (lead.length) section.blocks.push(p(...lead, "."));

  section.blocks.push(
    topTable("top-kurtosis", `The ${TOP_TENSORS} 2-D tensors with the largest kurtosis`, byKurt, sK),
    topTable("top-absmax-std", `The ${TOP_TENSORS} 2-D tensors with the largest absmax/std`, byRatio, sR),
    {
      kind: "table", id: "module-outliers", caption: "Quantized linears by module kind, over their layers",
      columns: [{ label: "module" }, { label: "tensors", align: "right" }, { label: "mean kurtosis", align: "right" }, { label: "max kurtosis", align: "right" }, { label: "mean absmax/std", align: "right" }, { label: "max absmax/std", align: "right" }],
      rows: modules.map((m) => [code(m.module), num(m.tensors, int, sM), num(m.mean_kurtosis, k4, sM), num(m.max_kurtosis, k4, sM), num(m.mean_absmax_std, k4, sM), num(m.max_absmax_std, k4, sM)]),
    },
    layerTable(layers),
    channelTable(channels),
  );
  if (cells.length) {
    section.blocks.push({
      kind: "figure", id: "heatmap-kurtosis", caption: "Kurtosis of the quantized linears per layer and module", source: fromQuery("layer_module_kurtosis"),
      chart: { kind: "heatmap", metric: "kurtosis", layers: [...new Set(cells.map((c) => c.layer))].sort((a, b) => a - b), modules: moduleOrder(cells.map((c) => c.module)), cells },
    });
  }
  const hist = worst ? histogramOf(worst) : null;
  if (worst && hist) {
    section.blocks.push({ kind: "figure", id: "histogram-worst", caption: `Values of ${worst.name} (the quantized linear with the largest kurtosis) against a normal curve of the same mean and std`, source: fromQuery("worst_tensor_histogram"), chart: hist });
  }
  return section;
}

function topTable(id: string, caption: string, rows: TopRow[], src: ReturnType<typeof fromQuery>): Table {
  return {
    kind: "table", id, caption,
    columns: [{ label: "tensor" }, { label: "kurtosis", align: "right" }, { label: "absmax/std", align: "right" }, { label: "absmax", align: "right" }, { label: "std", align: "right" }],
    rows: rows.map((r) => [code(r.name), num(r.kurtosis, k4, src), num(r.absmax_over_std, k4, src), num(r.absmax, k4, src), num(r.std, k4, src)]),
  };
}

function layerTable(layers: Array<{ layer: number; max_kurtosis: number; kurtosis_module: string; max_absmax_std: number; absmax_std_module: string }>): Table {
  const s = fromQuery("layer_outliers");
  return {
    kind: "table", id: "layer-outliers", caption: "Per layer: the largest kurtosis and absmax/std of its quantized linears",
    columns: [{ label: "layer", align: "right" }, { label: "max kurtosis", align: "right" }, { label: "in" }, { label: "max absmax/std", align: "right" }, { label: "in" }],
    rows: layers.map((l) => [num(l.layer, int, s), num(l.max_kurtosis, k4, s), code(l.kurtosis_module), num(l.max_absmax_std, k4, s), code(l.absmax_std_module)]),
  };
}

function channelTable(rows: Array<{ first_channel: number; bucket_size: number; tensors: number; layers: number; mean_ratio: number; max_ratio: number }>): Block {
  const s = fromQuery("dominant_input_channels");
  return {
    kind: "table", id: "dominant-channels",
    caption: `Input channels among the ${DOMINANT_TOP_K} largest column absmax of q/k/v/gate/up (the residual stream), counted over tensors; ratio = channel absmax / the tensor's median channel absmax`,
    columns: [{ label: "channel" }, { label: "tensors", align: "right" }, { label: "layers", align: "right" }, { label: "mean ratio", align: "right" }, { label: "max ratio", align: "right" }],
    rows: rows.map((c) => [
      c.bucket_size > 1 ? `${c.first_channel}-${c.first_channel + c.bucket_size - 1}` : num(c.first_channel, int, s),
      num(c.tensors, int, s), num(c.layers, int, s), num(c.mean_ratio, { kind: "fixed", digits: 2 }, s), num(c.max_ratio, { kind: "fixed", digits: 2 }, s),
    ]),
  };
}

/** Module kinds in forward-pass order (as the dashboard lists them), unknown kinds last. */
const ORDER = ["embed", "norm", "q", "k", "v", "o", "gate", "up", "down", "lm_head", "other"];
function moduleOrder(modules: string[]): string[] {
  const rank = (m: string) => (ORDER.indexOf(m) < 0 ? ORDER.length : ORDER.indexOf(m));
  return [...new Set(modules)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function histogramOf(w: { name: string; mean: number; std: number; n: number; histogram: string }): HistogramChart | null {
  try {
    const h = JSON.parse(w.histogram) as { edges?: unknown; counts?: unknown };
    if (!Array.isArray(h.edges) || !Array.isArray(h.counts) || h.edges.length !== h.counts.length + 1) return null;
    return { kind: "histogram", tensor: w.name, edges: h.edges.map(Number), counts: h.counts.map(Number), normal: { mean: w.mean, std: w.std, n: Number(w.n) } };
  } catch {
    return null;
  }
}
