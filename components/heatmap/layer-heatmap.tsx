"use client";
/**
 * Layer x module grid of one statistic (SVG: a few hundred cells at most), stretched to its card's
 * width; click a cell to open its tensor. Keyboard: Tab reaches the grid (one cell in the tab
 * order), arrow keys, Home and End move, Enter or Space opens; each cell's aria-label gives its value.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { arrowStep, cellRects, fitToWidth, gridLayout, labelEvery, type CellRect, type HeatGrid } from "@/lib/viz/heatmap.ts";
import { fmtNum } from "@/lib/viz/format.ts";
import { ColorLegend } from "./color-legend.tsx";

export interface LayerHeatmapProps {
  grid: HeatGrid;
  label: string;
  onSelect?: (tensor: string) => void;
  selected?: string | null;
  format?: (v: number) => string;
  /** drawn under the grid instead of the sequential legend (a diverging scale's own) */
  legend?: ReactNode;
}

/** Each cell carries its exact value in a hover tooltip (and a <title> for assistive tech). */
export function LayerHeatmap({ grid, label, onSelect, selected, format = (v) => fmtNum(v, 5), legend }: LayerHeatmapProps) {
  const box = useRef<HTMLDivElement>(null);
  const [boxWidth, setBoxWidth] = useState(0);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setBoxWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const L = fitToWidth(gridLayout(grid), grid.modules.length, boxWidth);
  const every = labelEvery(L);
  const { rects, width, height } = cellRects(grid, L);
  const [hover, setHover] = useState<CellRect | null>(null);
  // the one cell in the tab order (roving tabindex), as (layer row, module column)
  const [focus, setFocus] = useState<[number, number]>([0, 0]);
  const cellRefs = useRef(new Map<string, SVGRectElement>());
  const rowOf = new Map(grid.layers.map((l, j) => [l, j]));
  const colOf = new Map(grid.modules.map((m, i) => [m, i]));
  const at = (r: number, c: number) => rects.find((x) => rowOf.get(x.layer) === r && colOf.get(x.module) === c);
  const tabCell = at(focus[0], focus[1]) ?? rects[0];
  const onKey = (e: KeyboardEvent<Element>, c: CellRect) => {
    if ((e.key === "Enter" || e.key === " ") && onSelect) { e.preventDefault(); onSelect(c.name); return; }
    const here: [number, number] = [rowOf.get(c.layer)!, colOf.get(c.module)!];
    const next = arrowStep(here[0], here[1], e.key, grid.layers.length, grid.modules.length);
    if (next[0] === here[0] && next[1] === here[1]) return;
    e.preventDefault();
    const target = at(next[0], next[1]);
    if (!target) return;
    setFocus(next); setHover(target);
    cellRefs.current.get(`${target.layer}-${target.module}`)?.focus();
  };
  const valueText = (v: number | null) => (v === null || !Number.isFinite(v) ? "n/a" : format(v));
  if (!rects.length) return <p className="py-8 text-center text-sm text-slate-500">No per-layer tensors to map.</p>;
  return (
    <figure className="relative">
      <div className="overflow-x-auto" ref={box}>
        <svg width={width} height={height} role="group" aria-label={`${label} by layer and module`} data-testid="layer-heatmap"
          onMouseLeave={() => setHover(null)}>
          {grid.modules.map((m, i) => (
            <text key={m} x={L.left + i * L.cellW + L.cellW / 2} y={L.top - 10} textAnchor="middle" className="fill-slate-500 text-[11px]">{m}</text>
          ))}
          {grid.layers.map((l, j) => (j % every === 0 ? (
            <text key={l} x={L.left - 10} y={L.top + j * L.cellH + L.cellH / 2 + 4} textAnchor="end" className="fill-slate-500 text-[11px] tabular-nums">layer {l}</text>
          ) : null))}
          {rects.map((c) => (
            <rect key={`${c.layer}-${c.module}`} data-testid="heat-cell" data-tensor={c.name}
              ref={(el) => { if (el) cellRefs.current.set(`${c.layer}-${c.module}`, el); else cellRefs.current.delete(`${c.layer}-${c.module}`); }}
              tabIndex={c === tabCell ? 0 : -1} role={onSelect ? "button" : "img"} aria-label={`layer ${c.layer} ${c.module}: ${label} ${valueText(c.value)}`}
              onKeyDown={(e) => onKey(e, c)}
              onFocus={() => { setHover(c); setFocus([rowOf.get(c.layer)!, colOf.get(c.module)!]); }}
              x={c.x} y={c.y} width={c.width} height={c.height} rx={L.cellH >= 12 ? 4 : 0} fill={c.fill}
              stroke={c.name === selected ? "#0f172a" : hover === c ? "#475569" : "none"} strokeWidth={2}
              className={`outline-none focus-visible:stroke-amber-500 ${onSelect ? "cursor-pointer" : ""}`}
              onMouseEnter={() => setHover(c)} onClick={onSelect ? () => onSelect(c.name) : undefined}>
              <title>{`${c.name}\n${label}: ${valueText(c.value)}`}</title>
            </rect>
          ))}
        </svg>
      </div>
      {hover && (
        <div role="tooltip" className="pointer-events-none absolute z-10 max-w-xs rounded-md border border-slate-200 bg-white/95 px-2.5 py-1.5 text-xs shadow-md"
          style={{ left: Math.min(hover.x + hover.width + 6, width - 40), top: hover.y }}>
          <div className="font-mono text-[11px] break-all text-slate-700">{hover.name}</div>
          <div className="tabular-nums"><span className="text-slate-500">{label}:</span> <span className="font-semibold">{valueText(hover.value)}</span></div>
        </div>
      )}
      <figcaption className="mt-3">
        {legend ?? (grid.scale ? <ColorLegend scale={grid.scale} label={label} /> : (
          <span className="text-xs text-slate-500">
            {label}: {grid.domain[0].toPrecision(3)} (light) to {grid.domain[1].toPrecision(3)} (dark). Hover a cell for the exact value.
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
