/** Statistics a layer x module heatmap can show (ViewState.stat ids = TensorTableRow keys). */
import type { TensorTableRow } from "../analysis/analysis.ts";

export interface StatOption {
  id: keyof TensorTableRow & string; label: string; hint: string; format: "num" | "pct" | "db";
  /** lower values are worse (drawn dark) */
  lowerIsWorse?: boolean;
}

export const HEAT_STATS: StatOption[] = [
  { id: "kurtosis", label: "kurtosis", hint: "Pearson; a normal distribution gives 3. Heavy tails quantize worst.", format: "num" },
  { id: "absmax_over_std", label: "absmax / std", hint: "How far the largest value sits from the bulk, in standard deviations.", format: "num" },
  { id: "absmax", label: "absmax", hint: "Largest magnitude; sets the quantization step of per-tensor schemes.", format: "num" },
  { id: "std", label: "std", hint: "Population standard deviation.", format: "num" },
  { id: "outlier_fraction", label: ">6σ share", hint: "Share of values more than 6 standard deviations from the mean.", format: "pct" },
  { id: "sqnr_w8", label: "SQNR W8", hint: "Signal-to-quantization-noise ratio of 8-bit RTN (g128), dB; lower is worse.", format: "db", lowerIsWorse: true },
  { id: "sqnr_w4", label: "SQNR W4", hint: "Signal-to-quantization-noise ratio of 4-bit RTN (g128), dB; lower is worse.", format: "db", lowerIsWorse: true },
  { id: "sqnr_w3", label: "SQNR W3", hint: "Signal-to-quantization-noise ratio of 3-bit RTN (g128), dB; lower is worse.", format: "db", lowerIsWorse: true },
];

/** The option for a ViewState.stat id, kurtosis when unknown (a hand-edited URL). */
export function statOption(id: string): StatOption {
  return HEAT_STATS.find((s) => s.id === id) ?? HEAT_STATS[0]!;
}

/** Numeric value of a statistic on a row, null when missing. */
export function statValue(row: TensorTableRow, id: string): number | null {
  const v = (row as unknown as Record<string, unknown>)[id];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}
