import { describe, expect, it } from "vitest";
import { groupCount, kvCacheMemory, kvShapeOf, weightMemory } from "../../lib/quant/memory.ts";

// stories260K: dim 64, hidden 172, 5 layers, 8 heads, 4 KV heads (head_dim 8), 260,032 parameters
const layer = [
  { rows: 64, cols: 64 }, { rows: 32, cols: 64 }, { rows: 32, cols: 64 }, { rows: 64, cols: 64 }, // q k v o
  { rows: 172, cols: 64 }, { rows: 172, cols: 64 }, { rows: 64, cols: 172 }, // gate up down
];
const linears = Array.from({ length: 5 }, () => layer).flat();

describe("groupCount(shape, groupSize)", () => {
  it("counts cols / g groups per row when g divides the row, else one per row", () => {
    expect(groupCount({ rows: 4096, cols: 4096 }, 128)).toBe(4096 * 32);
    expect(groupCount({ rows: 64, cols: 172 }, 128)).toBe(64);
    expect(groupCount({ rows: 64, cols: 64 }, 32)).toBe(128);
    expect(groupCount({ rows: 64, cols: 64 }, -1)).toBe(64);
  });
});

describe("weightMemory(params, linears, bits, groupSize)", () => {
  it("stories260K at W16: every parameter in 2 bytes, no overhead", () => {
    const m = weightMemory(260032, linears, 16, 128);
    expect(m.total).toBe(260032 * 2);
    expect(m.overhead).toBe(0);
  });
  it("stories260K at W4-g128, by hand: 226,560 linear params at 4 bits + 3,000 groups x (scale + zero) + 33,472 params at 16 bits", () => {
    const m = weightMemory(260032, linears, 4, 128);
    expect(m.quantized).toBe(113280); // 226560 * 4 / 8
    expect(m.overhead).toBe(12000); // 5 x (64 + 32 + 32 + 64 + 172 + 172 + 64) groups x 4 bytes
    expect(m.unquantized).toBe(66944); // (32768 embedding + 11 x 64 norms) x 2
    expect(m.total).toBe(192224);
    expect(m.bitsPerWeight).toBeCloseTo(((113280 + 12000) * 8) / 226560, 12);
  });
  it("symmetric groups store only a scale", () => {
    expect(weightMemory(260032, linears, 4, 128, true).overhead).toBe(6000);
  });
  it("a 4096 x 4096 matrix at W4-g128 costs 4.25 bits per weight", () => {
    expect(weightMemory(4096 * 4096, [{ rows: 4096, cols: 4096 }], 4, 128).bitsPerWeight).toBe(4.25);
  });
});

describe("kvCacheMemory(shape, ctx, batch, bits)", () => {
  it("Llama-2-7B (32 layers, 32 KV heads, head_dim 128) at 4096 tokens in fp16 is 2 GiB", () => {
    expect(kvCacheMemory({ layers: 32, kvHeads: 32, headDim: 128 }, 4096, 1, 16).total).toBe(2 * 1024 ** 3);
  });
  it("stories260K at 512 tokens: 320 KiB in fp16; KV8 halves the values and adds 4 bytes per (token, head, K/V, layer)", () => {
    const s = kvShapeOf({ dim: 64, nHeads: 8, nKvHeads: 4, nLayers: 5 })!;
    expect(s).toEqual({ layers: 5, kvHeads: 4, headDim: 8 });
    expect(kvCacheMemory(s, 512, 1, 16).total).toBe(327680);
    const kv8 = kvCacheMemory(s, 512, 1, 8);
    expect(kv8.values).toBe(163840);
    expect(kv8.overhead).toBe(2 * 5 * 4 * 512 * 4);
    expect(kvCacheMemory(s, 512, 3, 4).total).toBe(3 * (81920 + 81920));
  });
  it("kvShapeOf(config) takes nHeads for missing nKvHeads and returns null without dim", () => {
    expect(kvShapeOf({ dim: 64, nHeads: 8, nLayers: 2 })).toEqual({ layers: 2, kvHeads: 8, headDim: 8 });
    expect(kvShapeOf({ nHeads: 8, nLayers: 2 })).toBeNull();
  });

  it("kvShapeOf(config) uses an explicit headDim (Qwen3: 32 where dim / heads is 16)", () => {
    expect(kvShapeOf({ dim: 64, nHeads: 4, nKvHeads: 2, nLayers: 2, headDim: 32 })).toEqual({ layers: 2, kvHeads: 2, headDim: 32 });
  });
});
