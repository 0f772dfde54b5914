/**
 * ModelAnalysis of what the dashboard computed or reads back: statistics computed in this
 * browser, a run reopened from the store, or a share bundle. All go through the panels'
 * builder (analysis.ts analysisFromStats), so the panels never see where numbers came from.
 */
import type { ModelSummary } from "../formats/summary.ts";
import type { ModelConfig, ModelFormat } from "../formats/types.ts";
import { toTensorStats, type ChannelRow, type StatsRow } from "../store/stats-rows.ts";
import type { Row } from "../store/store.ts";
import { quantErrorsFromRows } from "../store/quant-error-queries.ts";
import { analysisFromStats } from "./analysis.ts";
import type { ModelAnalysis } from "./types.ts";

const MODEL_FILE_RE = /\.(safetensors|gguf|bin|onnx)$/i;

/** What local files are called: the picked folder's name, else the (first) model file's name. */
export function localName(files: File[]): string {
  return files[0]?.webkitRelativePath?.split("/")[0] || files.find((f) => MODEL_FILE_RE.test(f.name))?.name || files[0]?.name || "files";
}

/** Stable ModelAnalysis id for what the user opened: `hf:` ids and URLs as typed, files as `local:<name>`. */
export function analysisIdOf(spec: string | File | File[]): string {
  if (typeof spec === "string") return spec.trim();
  return `local:${Array.isArray(spec) ? localName(spec) : spec.name}`;
}

/** Plain store rows of one run (a reopened run, or a share bundle), as lib/share/bundle.ts collects them. */
export interface StoredRunRows {
  models: Row[];
  tensors: Row[];
  tensor_stats: Row[];
  channel_stats: Row[];
  /** the what-if errors (absent in bundles written before the table existed) */
  quant_errors?: Row[];
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const plainRow = (r: Row): Row =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : Array.isArray(v) ? v.map((x) => (typeof x === "bigint" ? Number(x) : x)) : v]));

/** The summary of a stored model: its models row, and dtype totals from its tensors (shared storage once). */
function summaryOfRows(rows: StoredRunRows, tensorsStored: number): ModelSummary {
  const m = rows.models[0] ?? {};
  const dtypes = new Map<string, { dtype: string; tensors: number; params: number; bytes: number }>();
  const seen = new Set<string>();
  for (const t of rows.tensors) {
    const key = `${t.shard}:${t.byte_offset}:${t.byte_length}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const d = dtypes.get(String(t.dtype)) ?? { dtype: String(t.dtype), tensors: 0, params: 0, bytes: 0 };
    d.tensors++; d.params += num(t.numel); d.bytes += num(t.byte_length);
    dtypes.set(d.dtype, d);
  }
  const byDtype = [...dtypes.values()].sort((a, b) => b.bytes - a.bytes);
  const config = (typeof m.config === "string" ? JSON.parse(m.config) : m.config ?? { architecture: "unknown" }) as ModelConfig;
  return {
    name: String(m.name ?? "model"), format: String(m.format ?? "safetensors") as ModelFormat, config,
    params: byDtype.length ? byDtype.reduce((s, d) => s + d.params, 0) : num(m.params),
    bytes: byDtype.length ? byDtype.reduce((s, d) => s + d.bytes, 0) : num(m.bytes),
    tensorCount: m.n_tensors == null ? tensorsStored : num(m.n_tensors),
    shards: new Set(rows.tensors.map((t) => t.shard)).size || 1, tiedLmHead: seen.size < rows.tensors.length, byDtype,
  };
}

/** Rebuilds the ModelAnalysis of a stored run; the id is what the user opened (models.source). */
export function analysisFromRunRows(rows: StoredRunRows, generatedBy: string): ModelAnalysis {
  const byName = new Map<string, ChannelRow[]>();
  for (const c of rows.channel_stats.map(plainRow) as unknown as ChannelRow[]) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
  const order = new Map(rows.tensors.map((t, i) => [String(t.name), i]));
  const stats = rows.tensor_stats
    .map((r) => toTensorStats(plainRow(r) as unknown as StatsRow, byName.get(String(r.name)) ?? []))
    .sort((a, b) => (order.get(a.name) ?? 1e9) - (order.get(b.name) ?? 1e9) || a.name.localeCompare(b.name));
  const m = rows.models[0] ?? {};
  return analysisFromStats(String(m.source ?? m.name ?? "stored"), summaryOfRows(rows, stats.length), stats, quantErrorsFromRows(rows.quant_errors ?? []), { generatedBy });
}
