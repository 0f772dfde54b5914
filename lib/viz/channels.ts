/**
 * Layer x channel absmax matrix of one module kind (input channels of W[out, in], max-pooled),
 * and the zoom arithmetic of its canvas: which columns a d3-zoom transform shows, where each is.
 */
import { layerOf, moduleOf } from "../formats/names.ts";
import type { ChannelAbsmax } from "../analysis/types.ts";
import { colourScale, type ColourScale, type ScaleKind } from "./scale.ts";
import { maxOf } from "../tensor/extent.ts";

export interface ChannelMatrix {
  module: string;
  /** layer index of each row, ascending */
  layers: number[];
  /** tensor name of each row */
  names: string[];
  /** columns (channel points); rows shorter than this are NaN-padded */
  cols: number;
  /** channels each column covers (the largest stride of the rows) */
  stride: number;
  /** real channel count of the widest row, when known (cols * stride may overshoot it) */
  channels: number;
  /** row-major layers.length x cols, NaN where missing */
  values: Float64Array;
  scale: ColourScale;
}

/** Module kinds with input-channel profiles worth a heatmap, in forward-pass order. */
export const CHANNEL_MODULES = ["q", "k", "v", "o", "gate", "up", "down"] as const;

/** Rows = layers holding a `module` tensor with channel statistics; null when there is none. */
export function channelMatrix(
  tensors: Array<{ name: string; shape: number[] }>, channels: Record<string, ChannelAbsmax>, module: string, scale: ScaleKind,
): ChannelMatrix | null {
  const rows = tensors
    .map((t) => ({ t, layer: layerOf(t.name), c: channels[t.name] }))
    .filter((r): r is { t: { name: string; shape: number[] }; layer: number; c: ChannelAbsmax } =>
      r.layer !== null && r.c !== undefined && moduleOf(r.t.name) === module && r.c.input.length > 0)
    .sort((a, b) => a.layer - b.layer);
  if (!rows.length) return null;
  const cols = maxOf(rows.map((r) => r.c.input.length));
  const values = new Float64Array(rows.length * cols).fill(NaN);
  rows.forEach((r, j) => values.set(r.c.input, j * cols));
  const channelsIn = maxOf(rows.map((r) => r.t.shape[r.t.shape.length - 1] ?? 0));
  return {
    module, layers: rows.map((r) => r.layer), names: rows.map((r) => r.t.name), cols,
    stride: maxOf(rows.map((r) => r.c.inputStride)), channels: channelsIn || cols,
    values, scale: colourScale(values, scale),
  };
}

/** Value at (row, col), null when missing or out of range. */
export function matrixValue(m: ChannelMatrix, row: number, col: number): number | null {
  if (row < 0 || col < 0 || row >= m.layers.length || col >= m.cols) return null;
  const v = m.values[row * m.cols + col]!;
  return Number.isNaN(v) ? null : v;
}

/** Channels [first, last] a column covers. */
export function columnChannels(m: ChannelMatrix, col: number): [number, number] {
  return [col * m.stride, Math.min((col + 1) * m.stride, Math.max(m.channels, col * m.stride + 1)) - 1];
}

/** A d3-zoom transform restricted to x: x' = x * k + tx. */
export interface ZoomX { k: number; x: number }

/** Left pixel of column `i` of `cols` over `width` pixels under the zoom. */
export function columnX(i: number, cols: number, width: number, z: ZoomX = { k: 1, x: 0 }): number {
  return (i / cols) * width * z.k + z.x;
}

/** Columns [i0, i1) at least partly visible in [0, width] under the zoom. */
export function visibleColumns(cols: number, width: number, z: ZoomX = { k: 1, x: 0 }): [number, number] {
  const i0 = Math.max(0, Math.floor(((-z.x) / (width * z.k)) * cols));
  const i1 = Math.min(cols, Math.ceil(((width - z.x) / (width * z.k)) * cols));
  return [i0, Math.max(i0, i1)];
}

/** Column under pixel `px`, or -1 outside the columns. */
export function columnAt(px: number, cols: number, width: number, z: ZoomX = { k: 1, x: 0 }): number {
  const i = Math.floor(((px - z.x) / (width * z.k)) * cols);
  return i >= 0 && i < cols ? i : -1;
}

/**
 * Columns that stand out in most layers: value above `factor` x that row's median in at least
 * half the rows (an outlier channel the residual stream carries through the model).
 */
export function outlierColumns(m: ChannelMatrix, factor = 4): number[] {
  const medians = m.layers.map((_, j) => {
    const row = Array.from(m.values.subarray(j * m.cols, (j + 1) * m.cols)).filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
    return row.length ? row[(row.length - 1) >> 1]! : 0;
  });
  const out: number[] = [];
  for (let i = 0; i < m.cols; i++) {
    let hits = 0;
    for (let j = 0; j < m.layers.length; j++) if (m.values[j * m.cols + i]! > factor * medians[j]!) hits++;
    if (hits * 2 >= m.layers.length && hits > 0) out.push(i);
  }
  return out;
}

/** Pixels between two ticks of the channel axis (a tick label is 4-6 digits of 10 px text). */
export const TICK_SPACING_PX = 90;

/**
 * Column ticks of the part of the channel axis on screen, at zoom `z`: about one per
 * TICK_SPACING_PX whatever the zoom (ticks over the whole domain leave one or none in view once
 * zoomed in), at whole columns, at least two while two whole columns are visible.
 */
export function visibleTicks(cols: number, width: number, z: ZoomX = { k: 1, x: 0 }): number[] {
  if (!(width > 0) || cols < 1) return [];
  const lo = Math.max(0, (-z.x / (width * z.k)) * cols);
  const hi = Math.min(cols, ((width - z.x) / (width * z.k)) * cols);
  const count = Math.max(2, Math.floor(width / TICK_SPACING_PX));
  const span = hi - lo;
  // a "nice" step (1, 2 or 5 x 10^n columns), never below one column
  const raw = Math.max(1, span / count);
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * p).find((s) => s >= raw) ?? 10 * p;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Math.round(v));
  return out;
}
