import { describe, expect, it } from "vitest";
import { channelMatrix, columnAt, columnChannels, columnX, matrixValue, outlierColumns, visibleColumns, visibleTicks, TICK_SPACING_PX } from "../../lib/viz/channels.ts";
import type { ChannelAbsmax } from "../../lib/analysis/types.ts";

const ch = (input: number[], inputStride = 1): ChannelAbsmax => ({ input, inputStride, output: [1], outputStride: 1 });
const tensors = [
  { name: "model.layers.1.mlp.down_proj.weight", shape: [4, 8] },
  { name: "model.layers.0.mlp.down_proj.weight", shape: [4, 8] },
  { name: "model.layers.0.mlp.up_proj.weight", shape: [8, 4] },
  { name: "model.layers.0.input_layernorm.weight", shape: [4] },
];
const channels = {
  "model.layers.0.mlp.down_proj.weight": ch([1, 1, 9, 1]),
  "model.layers.1.mlp.down_proj.weight": ch([1, 2, 8, 1]),
  "model.layers.0.mlp.up_proj.weight": ch([5, 5]),
};

describe("channelMatrix(tensors, channels, module)", () => {
  it("stacks the module's input-channel profiles by ascending layer", () => {
    const m = channelMatrix(tensors, channels, "down", "linear")!;
    expect(m.layers).toEqual([0, 1]);
    expect(m.names[0]).toBe("model.layers.0.mlp.down_proj.weight");
    expect(m.cols).toBe(4);
    expect(Array.from(m.values)).toEqual([1, 1, 9, 1, 1, 2, 8, 1]);
    expect(m.scale.domain).toEqual([1, 9]);
    expect(matrixValue(m, 1, 2)).toBe(8);
    expect(matrixValue(m, 2, 0)).toBeNull();
  });
  it("returns null for a module without channel statistics", () => {
    expect(channelMatrix(tensors, channels, "q", "linear")).toBeNull();
  });
  it("finds the channel that stands out in every layer", () => {
    expect(outlierColumns(channelMatrix(tensors, channels, "down", "linear")!)).toEqual([2]);
  });
  it("columnChannels(m, col) gives the channels a max-pooled column covers, clipped to the real count", () => {
    const m = channelMatrix([{ name: "model.layers.0.self_attn.q_proj.weight", shape: [2, 10] }], { "model.layers.0.self_attn.q_proj.weight": ch([1, 2, 3], 4) }, "q", "linear")!;
    expect(m.stride).toBe(4);
    expect(columnChannels(m, 0)).toEqual([0, 3]);
    expect(columnChannels(m, 2)).toEqual([8, 9]);
  });
});

describe("zoom arithmetic on the channel axis", () => {
  it("unzoomed, every column is visible and column i starts at i * width / cols", () => {
    expect(visibleColumns(100, 500)).toEqual([0, 100]);
    expect(columnX(10, 100, 500)).toBe(50);
    expect(columnAt(52, 100, 500)).toBe(10);
    expect(columnAt(-1, 100, 500)).toBe(-1);
  });
  it("zoomed x4 and panned to the second quarter shows columns 25..50", () => {
    const z = { k: 4, x: -500 };
    expect(visibleColumns(100, 500, z)).toEqual([25, 50]);
    expect(columnX(25, 100, 500, z)).toBe(0);
    expect(columnAt(0, 100, 500, z)).toBe(25);
    expect(columnAt(499, 100, 500, z)).toBe(49);
  });
});

describe("visibleTicks: several ticks on the channel axis at any zoom", () => {
  const cols = 768, width = 900;
  const inView = (t: number[], z: { k: number; x: number }) => t.filter((v) => { const x = columnX(v, cols, width, z); return x >= 0 && x <= width; });
  it("unzoomed: about one tick per TICK_SPACING_PX, on nice whole columns", () => {
    const t = visibleTicks(cols, width);
    expect(t.length).toBeGreaterThanOrEqual(Math.floor(width / TICK_SPACING_PX) - 2);
    expect(t.every((v) => Number.isInteger(v) && v % 50 === 0)).toBe(true);
  });
  it("zoomed x16 and x200 into the middle: still several ticks in view", () => {
    for (const k of [16, 200]) {
      const z = { k, x: -(width * k) / 2 + width / 2 };
      const t = inView(visibleTicks(cols, width, z), z);
      expect(t.length, `zoom ${k}`).toBeGreaterThanOrEqual(3);
      expect(new Set(t).size).toBe(t.length);
      expect(t.every(Number.isInteger)).toBe(true);
    }
  });
});
