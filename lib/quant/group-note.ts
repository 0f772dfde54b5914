/**
 * Says when a spec's group size does not divide the rows it quantizes: DESIGN.md's rule is that
 * such a row is quantized as one group (W4-g7 on rows of 64 is per-row, not groups of 7), so a
 * result of W4-g7 must say that it is not what the name suggests.
 */
import type { QuantSpec } from "./spec.ts";

/** The rows (input length) of a linear weight. */
export interface WeightRows { name: string; rowLength: number }

/** A one-line note when `spec`'s weight group size leaves some rows as one group, else null. */
export function groupNote(spec: QuantSpec, weights: readonly WeightRows[]): string | null {
  const g = spec.weight?.groupSize;
  if (g === undefined || g <= 0 || weights.length === 0) return null; // -g-1 is per row by name
  const whole = weights.filter((w) => w.rowLength % g !== 0);
  if (whole.length === 0) return null;
  return `${spec.text}: ${whole.length} of ${weights.length} weights have rows whose length is not a multiple of ${g} ` +
    `(e.g. ${whole[0]!.name}, ${whole[0]!.rowLength}); each such row is quantized as one group (DESIGN.md)`;
}
