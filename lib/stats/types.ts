/**
 * Result types of the statistics engine. Definitions follow DESIGN.md (CONTRACT):
 * float64 accumulation, population std (ddof 0), Pearson kurtosis (normal = 3,
 * null when std = 0), non-finite values counted and skipped.
 */

/** Downsampled per-channel absmax profile, for heatmaps (max over each bucket). */
export interface ChannelProfile {
  /** number of channels along this axis */
  channels: number;
  /** bucket i covers channels [i*bucketSize, min((i+1)*bucketSize, channels)) */
  bucketSize: number;
  /** max |x| per bucket */
  absmax: number[];
  /** exact top-k channels by absmax, descending: [channel index, absmax] */
  top: Array<[number, number]>;
  /** median over channels of the per-channel absmax (outlier channels stand out against it) */
  median: number;
}

export interface Histogram {
  /** bins+1 edges, evenly spaced over [min, max] of the finite values */
  edges: number[];
  counts: number[];
}

export interface TensorStats {
  name: string;
  shape: number[];
  dtype: string;
  numel: number;
  /** finite values the moments were taken over */
  count: number;
  absmax: number | null;
  mean: number | null;
  std: number | null;
  /** Pearson; null when std = 0 or no finite values */
  kurtosis: number | null;
  min: number | null;
  max: number | null;
  nan_count: number;
  inf_count: number;
  zero_count: number;
  /** share of finite values with |x - mean| > 6 std (0 when std = 0) */
  outlier_fraction: number | null;
  /** absmax / std; null when std = 0 */
  absmax_over_std: number | null;
  histogram: Histogram | null;
  /**
   * For tensors of rank >= 2 viewed as [rows, cols] (rows = product of leading dims):
   * per input channel (column) and per output channel (row) absmax.
   */
  channels?: { cols: ChannelProfile; rows: ChannelProfile };
}
