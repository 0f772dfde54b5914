/** The aggregate in words, e.g. "mean relative drop of W4 on multi-step reasoning for models under 13B: 2.3% over 10 model x dataset pairs". */
import type { SpecAggregate } from "../store/evidence-aggregates.ts";

/** One line per aggregate: mean and worst relative drop, pairs and rows. */
export function aggregateText(spec: string, a: SpecAggregate, scopeLabel: string): string {
  return `mean relative drop of ${spec} on ${scopeLabel}: ${a.mean_rel_drop_pct.toFixed(1)}% over ${a.pairs} model x dataset pairs` +
    ` (${a.rows} rows; worst pair ${a.max_rel_drop_pct.toFixed(1)}%)`;
}

/** GB with two decimals. */
export function gb(x: number): string {
  return `${x.toFixed(2)} GB`;
}
