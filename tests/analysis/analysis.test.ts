import { describe, expect, it } from "vitest";
import { analysisFromStats, channelAbsmaxFromStats, histogramFromStats, maxPool, sqnrOf, tensorTableRows } from "../../lib/analysis/analysis.ts";
import { MAX_CHANNEL_POINTS } from "../../lib/analysis/types.ts";
import type { ModelSummary } from "../../lib/formats/summary.ts";
import type { TensorStats } from "../../lib/stats/types.ts";
import { weightSpec } from "../../lib/quant/whatif.ts";

const profile = (absmax: number[], bucketSize = 1) => ({ channels: absmax.length * bucketSize, bucketSize, absmax, top: [[0, absmax[0]!]] as Array<[number, number]>, median: 0 });
const stats = (name: string, shape: number[], extra: Partial<TensorStats> = {}): TensorStats => ({
  name, shape, dtype: "F32", numel: shape.reduce((a, b) => a * b, 1), count: 4, absmax: 2, mean: 0, std: 1, kurtosis: 3, min: -2, max: 2,
  nan_count: 0, inf_count: 0, zero_count: 0, outlier_fraction: 0, absmax_over_std: 2, histogram: { edges: [-2, 0, 2], counts: [2, 2] }, ...extra,
});
const summary: ModelSummary = {
  name: "tiny", format: "safetensors", config: { architecture: "llama", dim: 2 }, params: 8, bytes: 32, tensorCount: 2,
  shards: 1, tiedLmHead: false, byDtype: [{ dtype: "F32", tensors: 2, params: 8, bytes: 32 }],
};

describe("maxPool(values, stride, maxPoints)", () => {
  it("keeps short profiles and max-pools long ones so an outlier survives", () => {
    expect(maxPool([1, 2, 3], 2, 4)).toEqual({ values: [1, 2, 3], stride: 2 });
    expect(maxPool([1, 9, 1, 1, 1, 1, 1, 2], 1, 4)).toEqual({ values: [9, 1, 1, 2], stride: 2 });
    expect(maxPool([1, 1, 1, 1, 7], 3, 2)).toEqual({ values: [1, 7], stride: 9 });
  });
  it("never returns more than MAX_CHANNEL_POINTS points", () => {
    const r = maxPool(Array.from({ length: 5000 }, (_, i) => i), 1);
    expect(r.values.length).toBeLessThanOrEqual(MAX_CHANNEL_POINTS);
    expect(r.values[r.values.length - 1]).toBe(4999);
  });
});

describe("analysisFromStats(id, summary, stats, quantErrors)", () => {
  const s2 = stats("model.layers.0.mlp.up_proj.weight", [2, 2], { channels: { cols: profile([2, 1]), rows: profile([1, 2]) } });
  const s1 = stats("model.layers.0.input_layernorm.weight", [2], { histogram: null });
  const a = analysisFromStats("local:tiny", summary, [s2, s1], { [s2.name]: [{ spec: "W4", relMse: 0.01, sqnrDb: 20 }] });
  it("builds one row per tensor with the top channels, channels only for 2-D tensors", () => {
    expect(a.id).toBe("local:tiny");
    expect(a.tensors.map((t) => t.name)).toEqual([s2.name, s1.name]);
    expect(a.tensors[0]!.top_input_channels).toEqual([[0, 2]]);
    expect(a.tensors[1]!.top_input_channels).toBeNull();
    expect(Object.keys(a.channels)).toEqual([s2.name]);
    expect(a.channels[s2.name]).toEqual({ input: [2, 1], inputStride: 1, output: [1, 2], outputStride: 1 });
    expect(a.histograms[s2.name]).toEqual({ lo: -2, hi: 2, counts: [2, 2] });
    expect(a.histograms[s1.name]).toBeUndefined();
    expect(a.model).toMatchObject({ name: "tiny", params: 8, tensorCount: 2 });
    expect(a.generatedBy).toContain("tiny");
  });
  it("tensorTableRows adds layer, module and SQNR at the table's specs", () => {
    const rows = tensorTableRows(a);
    expect(rows[0]).toMatchObject({ layer: 0, module: "up", sqnr_w4: 20, sqnr_w8: null });
    expect(rows[1]).toMatchObject({ layer: 0, module: "norm", sqnr_w4: null });
    expect(sqnrOf(a, s2.name, "W4")).toBe(20);
  });
  it("channelAbsmaxFromStats and histogramFromStats return null without the data", () => {
    expect(channelAbsmaxFromStats(s1)).toBeNull();
    expect(histogramFromStats(s1)).toBeNull();
  });
});

it("weightSpec(bits, groupSize) writes canonical spec text (defaults omitted)", () => {
  expect(weightSpec(4, 128)).toBe("W4");
  expect(weightSpec(3, -1)).toBe("W3-g-1");
  expect(weightSpec(2, 32, "gptq")).toBe("W2-g32-gptq");
});
