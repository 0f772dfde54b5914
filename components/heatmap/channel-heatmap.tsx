"use client";
/**
 * Layer x channel absmax of one module kind on a canvas (thousands of columns), zoomable along the
 * channel axis with d3-zoom (wheel, drag, double-click). Outlier channels show as vertical lines.
 * Imperative drawing follows Plot's React recipe: useRef + useEffect, cleanup detaches the zoom.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { scaleLinear, select, zoom, zoomIdentity, type ZoomBehavior } from "d3";
import {
  columnAt, columnChannels, columnX, matrixValue, outlierColumns, visibleColumns, type ChannelMatrix, type ZoomX, visibleTicks,
} from "@/lib/viz/channels.ts";
import { fmtNum } from "@/lib/viz/format.ts";
import { ColorLegend } from "./color-legend.tsx";

const LEFT = 64;

interface Hover { row: number; col: number; px: number; py: number }

export function ChannelHeatmap({ matrix: m, onSelect }: { matrix: ChannelMatrix; onSelect?: (tensor: string) => void }) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const zoomRef = useRef<ZoomBehavior<HTMLCanvasElement, unknown> | null>(null);
  const [width, setWidth] = useState(720);
  const [z, setZ] = useState<ZoomX>({ k: 1, x: 0 });
  const [hover, setHover] = useState<Hover | null>(null);
  // rows shrink for deep models (an 80-layer model stays on one screen); labels thin out to stay readable
  const rowH = Math.max(4, Math.min(36, Math.floor(400 / m.layers.length)));
  const every = Math.max(1, Math.ceil(12 / rowH));
  const height = rowH * m.layers.length;
  const outliers = useMemo(() => outlierColumns(m), [m]);

  // plot width follows the card
  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const ro = new ResizeObserver(([e]) => setWidth(Math.max(200, Math.floor(e!.contentRect.width) - LEFT)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // d3-zoom on the channel axis only; a new matrix or width starts unzoomed
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const behaviour = zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([1, Math.max(1, m.cols / 4)])
      .translateExtent([[0, 0], [width, height]])
      .extent([[0, 0], [width, height]])
      .on("zoom", (e) => setZ({ k: e.transform.k, x: e.transform.x }));
    zoomRef.current = behaviour;
    const sel = select(canvas);
    sel.call(behaviour).call(behaviour.transform, zoomIdentity);
    return () => { sel.on(".zoom", null); zoomRef.current = null; };
  }, [m, width, height]);

  // draw the visible columns
  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext("2d");
    if (!canvas || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * dpr); canvas.height = Math.round(height * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const [i0, i1] = visibleColumns(m.cols, width, z);
    for (let j = 0; j < m.layers.length; j++) {
      for (let i = i0; i < i1; i++) {
        const x0 = columnX(i, m.cols, width, z), x1 = columnX(i + 1, m.cols, width, z);
        ctx.fillStyle = m.scale.fill(matrixValue(m, j, i));
        // overlap by a pixel fraction so zoomed-out columns leave no seams
        ctx.fillRect(x0, j * rowH, Math.max(x1 - x0, 0.5) + 0.25, rowH >= 10 ? rowH - 1 : rowH);
      }
    }
  }, [m, z, width, height, rowH]);

  const axis = scaleLinear().domain([0, m.cols]).range([z.x, z.x + width * z.k]);
  // ticks of the visible part of the axis: several at any zoom
  const ticks = visibleTicks(m.cols, width, z).filter((v) => { const x = axis(v); return x >= 0 && x <= width; });
  const hv = hover ? matrixValue(m, hover.row, hover.col) : null;
  const [c0, c1] = hover ? columnChannels(m, hover.col) : [0, 0];

  const onMove = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const px = e.clientX - r.left, py = e.clientY - r.top;
    const col = columnAt(px, m.cols, width, z), row = Math.floor(py / rowH);
    setHover(col >= 0 && row >= 0 && row < m.layers.length ? { row, col, px, py } : null);
  };

  return (
    <figure className="space-y-2">
      <div ref={wrapRef} className="relative w-full select-none" data-testid="channel-heatmap">
        <div className="flex">
          <div className="relative shrink-0" style={{ width: LEFT, height }}>
            {m.layers.map((l, j) => (j % every === 0 ? (
              <div key={l} className="absolute right-0 pr-2 text-right text-[11px] leading-3 text-slate-500 tabular-nums"
                style={{ top: j * rowH + rowH / 2 - 6 }}>layer {l}</div>
            ) : null))}
          </div>
          <canvas ref={canvasRef} style={{ width, height }} className="cursor-crosshair rounded-sm"
            role="img" aria-label={`per-channel absmax of ${m.module} by layer and input channel`}
            onMouseMove={onMove} onMouseLeave={() => setHover(null)}
            onClick={() => { if (hover && onSelect) onSelect(m.names[hover.row]!); }} />
        </div>
        <div className="relative h-5 text-[10px] text-slate-500 tabular-nums" style={{ marginLeft: LEFT, width }}>
          {ticks.map((v) => (
            <span key={v} className="absolute top-0.5 -translate-x-1/2" style={{ left: axis(v) }}>{fmtNum(v * m.stride, 4)}</span>
          ))}
        </div>
        {hover && (
          <div role="tooltip" className="pointer-events-none absolute z-10 rounded-md border border-slate-200 bg-white/95 px-2.5 py-1.5 text-xs shadow-md"
            style={{ left: Math.min(LEFT + hover.px + 12, LEFT + width - 180), top: hover.py + 12 }}>
            <div className="font-mono text-[11px] break-all text-slate-700">{m.names[hover.row]}</div>
            <div className="tabular-nums text-slate-600">{c0 === c1 ? `channel ${c0}` : `channels ${c0}–${c1} (max)`}</div>
            <div className="tabular-nums"><span className="text-slate-500">absmax:</span> <span className="font-semibold">{hv === null ? "n/a" : fmtNum(hv, 5)}</span></div>
          </div>
        )}
      </div>
      <figcaption className="flex flex-wrap items-end justify-between gap-3">
        <ColorLegend scale={m.scale} label="per-channel absmax" />
        <div className="flex items-center gap-3 text-xs text-slate-500">
          <span className="tabular-nums">input channel{m.stride > 1 ? ` (each column: max of ${m.stride})` : ""} · {z.k > 1 ? `zoom ×${z.k.toFixed(1)}` : "scroll or drag to zoom"}</span>
          {z.k > 1 && (
            <button type="button" className="rounded-md border border-slate-300 px-2 py-0.5 text-slate-700 hover:bg-slate-50"
              onClick={() => { const c = canvasRef.current; if (c && zoomRef.current) select(c).call(zoomRef.current.transform, zoomIdentity); }}>
              Reset zoom
            </button>
          )}
        </div>
      </figcaption>
      {outliers.length > 0 && (
        <p className="text-xs text-slate-600">
          <span className="font-medium">Outlier channels</span> (above 4× the layer median in most layers):{" "}
          <span className="tabular-nums">{outliers.slice(0, 12).map((c) => { const [a, b] = columnChannels(m, c); return a === b ? `#${a}` : `#${a}–${b}`; }).join(", ")}{outliers.length > 12 ? ` and ${outliers.length - 12} more` : ""}</span>
        </p>
      )}
    </figure>
  );
}
