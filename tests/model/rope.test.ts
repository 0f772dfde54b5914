/** RoPE frequencies (default, linear, llama3, partial rotary) and tables sized by the positions evaluated. */
import { describe, expect, it } from "vitest";
import { applyRope, defaultInvFreq, invFreq, llama3InvFreq, ropeTables } from "../../lib/model/rope.ts";
import { withRope } from "../../lib/model/forward.ts";
import type { LlamaConfig } from "../../lib/model/config.ts";

describe("inverse frequencies", () => {
  it("defaultInvFreq(theta, rotaryDim) is theta^(-2j / rotaryDim), rounded to float32", () => {
    const inv = defaultInvFreq(10000, 8);
    expect([...inv]).toEqual([1, 0.1, 0.01, 0.001].map(Math.fround));
  });

  it("partial rotary: rotaryDim < head_dim gives rotaryDim / 2 frequencies over rotaryDim", () => {
    expect(ropeTables({ theta: 10000, rotaryDim: 4, scaling: null }, 16).half).toBe(2);
    expect([...invFreq({ theta: 10000, rotaryDim: 4, scaling: null })]).toEqual([1, 0.01].map(Math.fround));
  });

  it("linear scaling divides every frequency by factor", () => {
    expect([...invFreq({ theta: 10000, rotaryDim: 4, scaling: { type: "linear", factor: 4 } })]).toEqual([0.25, 0.0025].map(Math.fround));
  });

  it("llama3InvFreq keeps short wavelengths, divides long ones by factor and blends the band between (the arch-zoo llama3 fixture)", () => {
    // head_dim 16, theta 500000, factor 8, low 1, high 4, original_max 64 (README: j = 0 kept, 1 smoothed, 2-7 divided)
    const s = { type: "llama3" as const, factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalMax: 64 };
    const inv = defaultInvFreq(500000, 16), got = llama3InvFreq(inv, s);
    expect(got[0]).toBe(inv[0]);
    for (let j = 2; j < 8; j++) expect(got[j]).toBe(Math.fround(inv[j]! / 8));
    const w = (2 * Math.PI) / inv[1]!, sm = (64 / w - 1) / 3;
    expect(got[1]).toBeCloseTo((1 - sm) * (inv[1]! / 8) + sm * inv[1]!, 7);
    expect(got[1]).toBeLessThan(inv[1]!);
    expect(got[1]).toBeGreaterThan(inv[1]! / 8);
  });
});

describe("ropeTables(params, maxPositions)", () => {
  it("holds only the positions evaluated, grows on demand and refuses positions past maxPositions", () => {
    const r = ropeTables({ theta: 10000, rotaryDim: 4, scaling: null }, 1 << 20);
    expect(r.cos.length).toBe(0); // nothing allocated for a 1M-token context until it is used
    const x = new Float32Array(2 * 4);
    applyRope(r, x, 2, 1, 4, 0);
    expect(r.positions).toBeGreaterThanOrEqual(2);
    expect(r.positions).toBeLessThanOrEqual(64);
    applyRope(r, new Float32Array(4), 1, 1, 4, 1000);
    expect(r.positions).toBeGreaterThanOrEqual(1001);
    expect(r.positions).toBeLessThan(4096);
    const small = ropeTables({ theta: 10000, rotaryDim: 4, scaling: null }, 8);
    expect(() => applyRope(small, new Float32Array(4), 1, 1, 4, 8)).toThrow(/past the context length 8/);
  });

  it("applyRope rotates pair i by p * inv_freq[i] and leaves dims past rotaryDim alone (partial rotary)", () => {
    const r = ropeTables({ theta: 10000, rotaryDim: 2, scaling: null }, 8);
    const x = Float32Array.of(1, 0, 5, 7); // one head of 4: pair (0, 1) rotated, dims 2-3 passed through
    applyRope(r, x, 1, 1, 4, 3);
    expect(x[0]).toBeCloseTo(Math.cos(3), 6);
    expect(x[1]).toBeCloseTo(Math.sin(3), 6);
    expect([x[2], x[3]]).toEqual([5, 7]);
  });
});

describe("withRope(config)", () => {
  it("shares one table between layers of equal settings (Gemma 3: one per layer kind), even as distinct objects", () => {
    const rope = (theta: number) => ({ theta, rotaryDim: 16, scaling: null });
    const c = { contextLength: 512, family: { rope: [rope(1e4), rope(1e4), rope(1e4), rope(1e6)] } } as unknown as LlamaConfig;
    const t = withRope(c)!;
    expect(t[0]).toBe(t[1]);
    expect(t[1]).toBe(t[2]);
    expect(t[3]).not.toBe(t[0]);
    expect(withRope({ ...c, family: { ...c.family, rope: null } } as unknown as LlamaConfig)).toBeNull();
  });
});
