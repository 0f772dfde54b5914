/**
 * What the dashboard shows, whatever produced it: the embedded demo (data/demo/, computed by our
 * CLI), a model opened in this browser (Web Workers), or a share bundle. Panels receive a
 * ModelAnalysis and the ViewState (which mirrors the URL, so a link reproduces the view).
 */
import type { SpecQuantError } from "../quant/whatif.ts";
import type { MetadataRow } from "./metadata.ts";
import type { TensorRow } from "./schema.ts";

/** Per-channel absmax of one 2-D tensor, downsampled to at most MAX_CHANNEL_POINTS by max-pooling. */
export interface ChannelAbsmax {
  /** per input channel (column of W[out, in]); length <= MAX_CHANNEL_POINTS */
  input: number[];
  /** channels each point covers (1 when not downsampled) */
  inputStride: number;
  /** per output channel (row) */
  output: number[];
  outputStride: number;
}
export const MAX_CHANNEL_POINTS = 1024;

/** Value histogram of one tensor: `counts[i]` values in [lo + i*w, lo + (i+1)*w), w = (hi - lo) / counts.length. */
export interface TensorHistogram { lo: number; hi: number; counts: number[] }

export interface ModelAnalysis {
  /** stable id used in URLs: "demo", "hf:org/name[@rev]", or "local:<file or folder name>" */
  id: string;
  model: {
    name: string;
    format: string;
    params: number;
    bytes: number;
    tensorCount: number;
    config: Record<string, unknown>;
    byDtype: Array<{ dtype: string; tensors: number; params: number; bytes: number }>;
  };
  tensors: TensorRow[];
  /** by tensor name; absent for 1-D tensors */
  channels: Record<string, ChannelAbsmax>;
  histograms: Record<string, TensorHistogram>;
  /** by tensor name: errors for the specs computed so far (W8/W4/W3 RTN at least for linear weights) */
  quantErrors: Record<string, SpecQuantError[]>;
  generatedBy: string;
  /** the file's own metadata as key/value rows (lib/analysis/metadata.ts); absent for the demo, reopened runs and bundles */
  metadata?: MetadataRow[];
  /** an evaluation run computed elsewhere and carried with the analysis (the demo's, data/demo/*-eval.json) */
  measured?: MeasuredRun;
}

/** A precomputed evaluation run: the CONTRACT metrics of `quantlens eval` per spec, FP32 first. */
export interface MeasuredRun {
  /** how it was made, e.g. "quantlens 0.1.0 eval --json on stories260K.gguf ..." */
  generatedBy: string;
  text: { file: string; documents: number; tokens: number };
  results: Array<{ spec: string; ppl: number; mean_nll: number; kl: number; top1_agreement: number; tokens: number }>;
}

export type Tab = "summary" | "overview" | "tensors" | "heatmaps" | "whatif" | "runs" | "evidence" | "recommend" | "report";

/** Everything a share link carries (URL state); defaults are omitted from the URL. */
export interface ViewState {
  /** ModelAnalysis.id of the model on screen */
  model: string;
  tab: Tab;
  filters: { layer: number | null; module: string | null; text: string };
  sort: { id: string; desc: boolean } | null;
  /** statistic of the layer x module heatmap: a TensorRow key such as "kurtosis" */
  stat: string;
  /** module kind of the layer x channel heatmap: "q", "k", "v", "o", "gate", "up", "down" */
  channelModule: string;
  scale: "linear" | "log";
  /** tensor whose detail is open */
  tensor: string | null;
  whatif: { bits: number; groupSize: number; method: "rtn" | "awq" | "gptq" | "smoothquant" };
}

export const DEFAULT_VIEW: ViewState = {
  model: "demo",
  tab: "summary",
  filters: { layer: null, module: null, text: "" },
  sort: null,
  stat: "kurtosis",
  channelModule: "down",
  scale: "linear",
  tensor: null,
  whatif: { bits: 4, groupSize: 128, method: "rtn" },
};
