/**
 * A calibration's activation and KV statistics as TensorStats rows for the store: one "tensor" per
 * linear input site and per K/V cache of each layer, shape [tokens, channels], with per-channel
 * (cols) and per-token (rows) absmax profiles, so activation outliers sit next to weight outliers.
 */
import { channelProfile } from "../stats/channels.ts";
import type { Moments } from "../stats/moments.ts";
import type { TensorStats } from "../stats/types.ts";
import type { Calibration } from "./calibrate.ts";
import type { LinearSite } from "./forward.ts";

/** Store names of the activation sites (Hugging Face module path + what is measured). */
export const SITE_NAMES: Record<"attn" | "o" | "ffn" | "down", string> = {
  attn: "self_attn.qkv_proj.input",
  o: "self_attn.o_proj.input",
  ffn: "mlp.gate_up_proj.input",
  down: "mlp.down_proj.input",
};

/** The store name of a site; MoE experts' sites name the expert (tokens routed to it). */
export function siteName(site: LinearSite): string {
  const [kind, e] = site.split(".") as ["attn" | "o" | "ffn" | "down", string | undefined];
  if (e === undefined) return SITE_NAMES[kind];
  return `block_sparse_moe.experts.${e}.${kind === "ffn" ? "w1_w3" : "w2"}.input`;
}

function stats(name: string, m: Moments, colAbs: ArrayLike<number>, tokenAbs: number[]): TensorStats {
  const cols = colAbs.length, rows = tokenAbs.length;
  let absmax = 0;
  for (let j = 0; j < cols; j++) absmax = Math.max(absmax, colAbs[j]!);
  const std = m.n ? Math.sqrt(m.m2 / m.n) : null;
  return {
    name, shape: [rows, cols], dtype: "F32", numel: rows * cols, count: m.n,
    absmax: m.n ? absmax : null, mean: m.n ? m.mean : null, std,
    kurtosis: m.m2 > 0 ? (m.n * m.m4) / (m.m2 * m.m2) : null,
    min: null, max: null, nan_count: 0, inf_count: 0, zero_count: 0,
    outlier_fraction: null, absmax_over_std: std ? absmax / std : null, histogram: null,
    channels: { cols: channelProfile(colAbs), rows: channelProfile(tokenAbs) },
  };
}

/** Every activation site and K/V cache of `cal`, named model.layers.{l}.<site>. */
export function calibrationStats(cal: Calibration): TensorStats[] {
  const out: TensorStats[] = [];
  for (const [key, st] of cal.sites) {
    const dot = key.indexOf(".");
    const layer = key.slice(0, dot), site = key.slice(dot + 1) as LinearSite;
    out.push(stats(`model.layers.${layer}.${siteName(site)}`, st.moments, st.absmax, st.tokenAbsmax));
  }
  cal.kv.forEach((kv, l) => {
    out.push(stats(`model.layers.${l}.self_attn.k_cache`, kv.kMoments, kv.kAbsmax, kv.kTokenAbsmax));
    out.push(stats(`model.layers.${l}.self_attn.v_cache`, kv.vMoments, kv.vAbsmax, kv.vTokenAbsmax));
  });
  return out;
}
