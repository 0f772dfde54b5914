/** Statistics of many tensors of one model, in order; tensors sharing storage are computed once. */
import type { TensorInfo, TensorSource } from "../../formats/types.ts";
import { computeTensorStats, type TensorStatsOptions } from "./tensor-stats.ts";
import type { TensorStats } from "../types.ts";

export interface ModelStatsOptions extends Omit<TensorStatsOptions, "onProgress"> {
  /** bytes of the selected tensors done so far, and the tensor being read */
  onProgress?: (bytesDone: number, tensorsDone: number, current: string) => void;
}

/** Same bytes read the same way: a tied lm_head aliases the embedding. */
const storageKey = (t: TensorInfo) => `${t.shard}:${t.byteOffset}:${t.byteLength}:${t.dtype}:${t.layout ?? ""}:${t.shape.join("x")}`;

/** Yields each tensor's statistics in order, reusing them for tensors that alias the same bytes. */
export async function* modelStats(source: TensorSource, tensors: TensorInfo[], opts: ModelStatsOptions = {}): AsyncGenerator<TensorStats> {
  const computed = new Map<string, TensorStats>();
  let done = 0;
  for (const [i, t] of tensors.entries()) {
    const base = done;
    const same = computed.get(storageKey(t));
    const stats = same ? { ...same, name: t.name } : await computeTensorStats(source, t, {
      ...opts, onProgress: (b) => opts.onProgress?.(base + b, i, t.name),
    });
    computed.set(storageKey(t), stats);
    done += t.byteLength;
    opts.onProgress?.(done, i + 1, t.name);
    yield stats;
  }
}
