import type { HeatGrid } from "@/lib/viz/heatmap.ts";

const CELL = 44;
const LEFT = 64;
const TOP = 28;

/** Layer x module grid of one statistic; each cell carries its exact value as a tooltip. */
export function LayerHeatmap({ grid, label }: { grid: HeatGrid; label: string }) {
  const width = LEFT + grid.modules.length * CELL + 8;
  const height = TOP + grid.layers.length * CELL + 8;
  return (
    <figure className="overflow-x-auto">
      <svg width={width} height={height} role="img" aria-label={`${label} by layer and module`} data-testid="layer-heatmap">
        {grid.modules.map((m, i) => (
          <text key={m} x={LEFT + i * CELL + CELL / 2} y={TOP - 10} textAnchor="middle" className="fill-slate-500 text-[11px]">{m}</text>
        ))}
        {grid.layers.map((l, j) => (
          <text key={l} x={LEFT - 10} y={TOP + j * CELL + CELL / 2 + 4} textAnchor="end" className="fill-slate-500 text-[11px]">layer {l}</text>
        ))}
        {grid.cells.map((c) => (
          <rect key={`${c.layer}-${c.module}`} data-testid="heat-cell"
            x={LEFT + grid.modules.indexOf(c.module) * CELL + 1} y={TOP + grid.layers.indexOf(c.layer) * CELL + 1}
            width={CELL - 2} height={CELL - 2} rx={4} fill={c.fill}>
            <title>{`${c.name}\n${label}: ${c.value === null ? "n/a" : c.value.toPrecision(5)}`}</title>
          </rect>
        ))}
      </svg>
      <figcaption className="mt-2 text-xs text-slate-500">
        {label}: {grid.domain[0].toPrecision(3)} (light) to {grid.domain[1].toPrecision(3)} (dark). Hover a cell for the exact value.
      </figcaption>
    </figure>
  );
}
