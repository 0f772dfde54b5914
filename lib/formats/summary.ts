/** Model inventory facts shared by `quantlens inspect`, the store and the dashboard. */
import type { ModelConfig, ModelFormat, TensorInfo, TensorSource } from "./types.ts";

export interface DtypeTotal { dtype: string; tensors: number; params: number; bytes: number }

export interface ModelSummary {
  name: string;
  format: ModelFormat;
  config: ModelConfig;
  /** parameters, counting storage shared by several names (a tied lm_head) once */
  params: number;
  /** bytes of tensor data, shared storage counted once */
  bytes: number;
  tensorCount: number;
  shards: number;
  tiedLmHead: boolean;
  byDtype: DtypeTotal[];
}

/** Sums parameters and bytes per dtype; tensors aliasing the same bytes count once. */
export function summarize(source: TensorSource): ModelSummary {
  const unique = uniqueStorage(source.tensors);
  const byDtype = new Map<string, DtypeTotal>();
  for (const t of unique) {
    const d = byDtype.get(t.dtype) ?? { dtype: t.dtype, tensors: 0, params: 0, bytes: 0 };
    d.tensors += 1; d.params += t.numel; d.bytes += t.byteLength;
    byDtype.set(t.dtype, d);
  }
  const totals = [...byDtype.values()].sort((a, b) => b.bytes - a.bytes);
  return {
    name: source.name, format: source.format, config: source.config,
    params: totals.reduce((s, d) => s + d.params, 0),
    bytes: totals.reduce((s, d) => s + d.bytes, 0),
    tensorCount: source.tensors.length, shards: source.shards.length,
    tiedLmHead: unique.length < source.tensors.length,
    byDtype: totals,
  };
}

/** Tensors with distinct (shard, offset) storage. */
function uniqueStorage(tensors: TensorInfo[]): TensorInfo[] {
  const seen = new Set<string>();
  return tensors.filter((t) => {
    const key = `${t.shard}:${t.byteOffset}:${t.byteLength}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
