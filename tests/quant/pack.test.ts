/** pack.ts: nibble layout by hand and the pack/unpack round trip for every bit width and odd row lengths. */
import { describe, expect, it } from "vitest";
import { packMatrix, unpackMatrix } from "../../lib/quant/pack.ts";
import { quantizeRtn } from "../../lib/quant/rtn.ts";
import type { Bits } from "../../lib/quant/types.ts";
import { mulberry32 } from "../../lib/tensor/prng.ts";

const ODD_LENGTHS = [1, 2, 3, 5, 7, 8, 15, 16, 17, 31, 33];

describe("packMatrix", () => {
  it("packMatrix(q) with 4-bit codes puts the even column in the low nibble and pads odd rows", () => {
    const q = { bits: 4 as const, sym: false, rows: 2, cols: 3, groupSize: 3, codes: Uint8Array.of(1, 2, 3, 15, 0, 9), scales: new Float32Array(2), zeros: new Float32Array(2) };
    const p = packMatrix(q);
    expect([p.bits, p.rowBytes]).toEqual([4, 2]);
    expect(Array.from(p.data)).toEqual([0x21, 0x03, 0x0f, 0x09]);
    expect(p.scales).toBe(q.scales);
  });

  it("packMatrix(q) with 5..8-bit codes keeps one byte per code", () => {
    const q = quantizeRtn(Float32Array.of(-1, 0, 1, 2), 2, 2, { bits: 6 });
    const p = packMatrix(q);
    expect([p.bits, p.rowBytes, p.data]).toEqual([8, 2, q.codes]);
    expect(p.data).not.toBe(q.codes);
  });

  for (const bits of [2, 3, 4, 5, 6, 7, 8] as Bits[]) {
    it(`unpackMatrix(packMatrix(q), ${bits}) round-trips ${bits}-bit codes for odd row lengths`, () => {
      const rand = mulberry32(bits);
      for (const cols of ODD_LENGTHS) {
        const w = Float32Array.from({ length: 3 * cols }, () => rand() - 0.5);
        const q = quantizeRtn(w, 3, cols, { bits, groupSize: -1, sym: bits % 2 === 0 });
        const p = packMatrix(q);
        expect(p.data.length).toBe(3 * (bits <= 4 ? Math.ceil(cols / 2) : cols));
        expect(unpackMatrix(p, bits, q.sym)).toEqual(q);
      }
    });
  }

  it("unpackMatrix(p, bits) rejects bits that do not fit the packing", () => {
    const p = packMatrix(quantizeRtn(Float32Array.of(1, 2), 1, 2, { bits: 4 }));
    expect(() => unpackMatrix(p, 8)).toThrow(RangeError);
  });
});
