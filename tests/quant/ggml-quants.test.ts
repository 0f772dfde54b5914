import { describe, expect, it } from "vitest";
import { floatToHalfBits, quantizeQ4_0, quantizeQ8_0 } from "../../lib/quant/ggml-quants.ts";
import { dequantizeQ4_0, dequantizeQ8_0 } from "../../lib/tensor/dequant-legacy.ts";
import { halfBitsToFloat } from "../../lib/tensor/half.ts";

/** deterministic inputs with a planted outlier per block */
const input = (n: number) => Float32Array.from({ length: n }, (_, i) => (i % 32 === 7 ? 30 : 0.1 + 2 * Math.cos(i + 0.3)));

describe("ggml reference quantizers quantizeQ8_0 / quantizeQ4_0", () => {
  it("floatToHalfBits(v) is the nearest half (ties to even) of normal, subnormal and overflowing values", () => {
    expect(floatToHalfBits(0)).toBe(0);
    expect(floatToHalfBits(-0)).toBe(0x8000);
    const cases = [1, -2.5, 65504, 65520, 1e5, 6.1e-5, 5.96e-8, 2.98e-8, 3e-8, 1 / 3, 0.1, 1 + 2 ** -11, 1 + 3 * 2 ** -11];
    for (const v of cases) {
      const h = floatToHalfBits(v), got = halfBitsToFloat(h);
      if (Math.abs(v) >= 65520) { expect(got).toBe(Math.sign(v) * Infinity); continue; }
      // no neighbouring half is closer; on a tie the even code wins
      for (const n of [h - 1, h + 1]) {
        if ((n & 0x7fff) === 0x7fff || (n & 0x7fff) === 0) continue; // NaN, or across zero
        const d = Math.abs(halfBitsToFloat(n & 0xffff) - v) - Math.abs(got - v);
        expect(d > 0 || (d === 0 && (h & 1) === 0)).toBe(true);
      }
    }
    expect(floatToHalfBits(1 + 2 ** -11)).toBe(0x3c00); // tie -> even
    expect(floatToHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02);
  });

  it("quantizeQ8_0(x) dequantizes within half a step (d / 2) of x, with the block amax at +-127", () => {
    const x = input(32 * 9);
    const q = quantizeQ8_0(x), y = new Float32Array(x.length);
    dequantizeQ8_0(q, y);
    for (let b = 0; b < 9; b++) {
      const d = halfBitsToFloat(q[b * 34]! | (q[b * 34 + 1]! << 8));
      for (let j = 0; j < 32; j++) expect(Math.abs(y[b * 32 + j]! - x[b * 32 + j]!)).toBeLessThanOrEqual(d / 2 + Math.abs(x[b * 32 + j]!) * 2 ** -10);
      expect(Math.max(...Array.from(q.subarray(b * 34 + 2, b * 34 + 34), (c) => Math.abs((c << 24) >> 24)))).toBe(127);
    }
  });

  it("quantizeQ4_0(x) maps the block's largest-magnitude value to code 0 (-8 d) and keeps the rest within a step", () => {
    const x = input(32 * 9);
    const q = quantizeQ4_0(x), y = new Float32Array(x.length);
    dequantizeQ4_0(q, y);
    for (let b = 0; b < 9; b++) {
      const d = Math.abs(halfBitsToFloat(q[b * 18]! | (q[b * 18 + 1]! << 8)));
      // element 7 holds the planted outlier: code 0 in the low nibble of byte 7
      expect(q[b * 18 + 2 + 7]! & 0x0f).toBe(0);
      for (let j = 0; j < 32; j++) expect(Math.abs(y[b * 32 + j]! - x[b * 32 + j]!)).toBeLessThanOrEqual(d + Math.abs(x[b * 32 + j]!) * 2 ** -10);
    }
  });
});
