import { describe, expect, it } from "vitest";
import { arrowStep, cellRects, fitToWidth, GRID_LAYOUT, gridLayout, labelEvery, layerModuleGrid, MAX_CELL_W } from "../../lib/viz/heatmap.ts";
import { MISSING_FILL } from "../../lib/viz/scale.ts";

const rows = [
  { name: "model.layers.0.self_attn.q_proj.weight", v: 3 },
  { name: "model.layers.0.input_layernorm.weight", v: 10 },
  { name: "model.layers.0.post_attention_layernorm.weight", v: 20 },
  { name: "model.layers.1.self_attn.q_proj.weight", v: 100 },
  { name: "model.layers.1.mlp.down_proj.weight", v: null as number | null },
  { name: "model.embed_tokens.weight", v: 1000 },
];

describe("layerModuleGrid(rows, metric, scale)", () => {
  it("keeps layer rows and forward-order module columns, skipping tensors outside the blocks", () => {
    const g = layerModuleGrid(rows, (r) => r.v, "linear");
    expect(g.layers).toEqual([0, 1]);
    expect(g.modules).toEqual(["q", "down", "norm"]);
    expect(g.cells).toHaveLength(4);
    expect(g.domain).toEqual([3, 100]);
  });
  it("shows the larger of two norms per layer and opens the tensor it came from", () => {
    const norm = layerModuleGrid(rows, (r) => r.v, "linear").cells.find((c) => c.module === "norm")!;
    expect(norm.value).toBe(20);
    expect(norm.name).toBe("model.layers.0.post_attention_layernorm.weight");
  });
  it("colours missing values grey and the extremes at the two ends of the ramp", () => {
    const g = layerModuleGrid(rows, (r) => r.v, "linear");
    expect(g.cells.find((c) => c.module === "down")!.fill).toBe(MISSING_FILL);
    const lo = g.cells.find((c) => c.value === 3)!.fill, hi = g.cells.find((c) => c.value === 100)!.fill;
    expect(lo).not.toBe(hi);
    expect(g.scale!.t(3)).toBe(0);
    expect(g.scale!.t(100)).toBe(1);
  });
  it("on a log scale puts 10 halfway between 1 and 100", () => {
    const g = layerModuleGrid([{ name: "model.layers.0.mlp.up_proj.weight", v: 1 }, { name: "model.layers.0.mlp.gate_proj.weight", v: 100 }], (r) => r.v, "log");
    expect(g.scale!.kind).toBe("log");
    expect(g.scale!.t(10)).toBeCloseTo(0.5, 12);
  });
});

describe("cellRects(grid)", () => {
  it("places cells on the layout's grid with a gap and sizes the SVG to fit", () => {
    const g = layerModuleGrid(rows, (r) => r.v, "linear");
    const { rects, width, height } = cellRects(g);
    const { cellW: cell, left, top, gap } = GRID_LAYOUT;
    const down = rects.find((r) => r.module === "down")!;
    expect(down.x).toBe(left + 1 * cell + gap / 2);
    expect(down.y).toBe(top + 1 * cell + gap / 2);
    expect(down.width).toBe(cell - gap);
    expect(width).toBe(left + 3 * cell + 8);
    expect(height).toBe(top + 2 * cell + 8);
  });
  it("gridLayout shrinks rows of deep models to fit MAX_GRID_HEIGHT, drops the gap and thins the labels", () => {
    const layers = Array.from({ length: 80 }, (_, i) => i);
    const l = gridLayout({ layers });
    expect(l.cellH).toBe(7); // floor(560 / 80)
    expect(l.gap).toBe(0);
    expect(labelEvery(l)).toBe(2);
    expect(gridLayout({ layers: [0, 1, 2, 3, 4] }).cellH).toBe(44);
    expect(gridLayout({ layers: Array.from({ length: 200 }, (_, i) => i) }).cellH).toBe(6);
  });
});

describe("the grid stretched to its card and walked by keyboard", () => {
  it("fitToWidth shares the card's width among the modules, between 44 px and MAX_CELL_W", () => {
    const l = gridLayout({ layers: [0, 1, 2, 3, 4] });
    expect(fitToWidth(l, 8, 1000).cellW).toBe(Math.floor((1000 - l.left - 8) / 8));
    expect(fitToWidth(l, 8, 200).cellW).toBe(GRID_LAYOUT.cellW);
    expect(fitToWidth(l, 2, 5000).cellW).toBe(MAX_CELL_W);
    expect(fitToWidth(l, 8, 0)).toEqual(l); // not measured yet: the fixed layout
  });
  it("arrowStep moves one cell and stops at the edges; Home and End go to the row's ends", () => {
    expect(arrowStep(0, 0, "ArrowRight", 5, 8)).toEqual([0, 1]);
    expect(arrowStep(0, 0, "ArrowDown", 5, 8)).toEqual([1, 0]);
    expect(arrowStep(0, 0, "ArrowUp", 5, 8)).toEqual([0, 0]);
    expect(arrowStep(4, 7, "ArrowRight", 5, 8)).toEqual([4, 7]);
    expect(arrowStep(2, 3, "End", 5, 8)).toEqual([2, 7]);
    expect(arrowStep(2, 3, "Home", 5, 8)).toEqual([2, 0]);
    expect(arrowStep(2, 3, "a", 5, 8)).toEqual([2, 3]);
  });
});
