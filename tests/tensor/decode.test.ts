/** decodeToF32 for plain dtypes: values small enough to check by hand, odd lengths, offsets. */
import { describe, expect, it } from "vitest";
import { decodeToF32 } from "../../lib/tensor/decode.ts";
import { halfBitsToFloat, bf16BitsToFloat } from "../../lib/tensor/half.ts";

const LENGTHS = [1, 2, 3, 5, 7, 8, 15, 16, 17, 31, 33, 63, 67, 127];
const u16le = (bits: number[]) => new Uint8Array(new Uint16Array(bits).buffer);

describe("decodeToF32(dtype, bytes)", () => {
  it("decodes IEEE halves: normals, max, subnormals, signed zero, ±inf, NaN", () => {
    const bits = [0x3c00, 0xc000, 0x7bff, 0x0400, 0x0001, 0x03ff, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x3555];
    const y = decodeToF32("F16", u16le(bits));
    expect(Array.from(y.slice(0, 9))).toEqual([1, -2, 65504, 2 ** -14, 2 ** -24, 1023 * 2 ** -24, -0, Infinity, -Infinity]);
    expect(Object.is(y[6], -0)).toBe(true);
    expect(y[9]).toBeNaN();
    expect(y[10]).toBe(Math.fround(0.333251953125));
  });

  it("halfBitsToFloat agrees with a float32 reinterpretation for all 65536 halves", () => {
    // independent path: build the f32 bit pattern from the half's fields
    const f = new Float32Array(1), u = new Uint32Array(f.buffer);
    for (let hbits = 0; hbits < 65536; hbits++) {
      const s = (hbits >> 15) << 31, e = (hbits >> 10) & 31, m = hbits & 1023;
      let want: number;
      if (e === 0) want = (s ? -1 : 1) * m * 2 ** -24;
      else { u[0] = (s | ((e === 31 ? 255 : e - 15 + 127) << 23) | (m << 13)) >>> 0; want = f[0]!; }
      const got = halfBitsToFloat(hbits);
      if (Number.isNaN(want)) expect(got).toBeNaN();
      else expect(got).toBe(want);
    }
  });

  it("decodes bfloat16 as the top half of a float32", () => {
    const y = decodeToF32("BF16", u16le([0x3f80, 0xc000, 0x7f80, 0xff80, 0x0001, 0x4049]));
    expect(Array.from(y)).toEqual([1, -2, Infinity, -Infinity, 2 ** -133, 3.140625]);
    expect(bf16BitsToFloat(0x7fc0)).toBeNaN();
  });

  it("decodes integer dtypes I8, U8, I16, I32, I64 exactly", () => {
    expect(Array.from(decodeToF32("I8", new Uint8Array([0, 127, 128, 255])))).toEqual([0, 127, -128, -1]);
    expect(Array.from(decodeToF32("U8", new Uint8Array([0, 127, 128, 255])))).toEqual([0, 127, 128, 255]);
    expect(Array.from(decodeToF32("I16", new Uint8Array(new Int16Array([-32768, 5, 32767]).buffer)))).toEqual([-32768, 5, 32767]);
    expect(Array.from(decodeToF32("I32", new Uint8Array(new Int32Array([-7, 1 << 20]).buffer)))).toEqual([-7, 1 << 20]);
    expect(Array.from(decodeToF32("I64", new Uint8Array(new BigInt64Array([-3n, 1n << 40n]).buffer)))).toEqual([-3, 2 ** 40]);
  });

  it("rounds F64 to the nearest float32", () => {
    const y = decodeToF32("F64", new Uint8Array(new Float64Array([0.1, -1e300, 2.5]).buffer));
    expect(Array.from(y)).toEqual([Math.fround(0.1), -Infinity, 2.5]);
  });

  for (const n of LENGTHS) {
    it(`decodes F32/F16/BF16 of length ${n} at an odd byte offset`, () => {
      const x = Float32Array.from({ length: n }, (_, i) => 0.1 + 2 * Math.cos(i + 3));
      const buf = new Uint8Array(4 * n + 1);
      buf.set(new Uint8Array(x.buffer), 1);
      expect(Array.from(decodeToF32("F32", buf.subarray(1)))).toEqual(Array.from(x));
      const hb = new Uint8Array(2 * n + 1);
      const bits = Array.from({ length: n }, (_, i) => (i * 2654435761) & 0x7bff); // finite halves
      hb.set(u16le(bits), 1);
      expect(Array.from(decodeToF32("F16", hb.subarray(1)))).toEqual(bits.map(halfBitsToFloat));
      expect(Array.from(decodeToF32("BF16", hb.subarray(1)))).toEqual(bits.map(bf16BitsToFloat));
    });
  }

  it("dispatches ggml block types to the dequantizers", () => {
    const b = new Uint8Array(34);
    b.set([0x00, 0x38, 5, 0xfe]); // d = 0.5, q = 5, -2
    expect(Array.from(decodeToF32("Q8_0", b).slice(0, 3))).toEqual([2.5, -1, 0]);
  });

  it("rejects partial elements and a short `out`", () => {
    expect(() => decodeToF32("F32", new Uint8Array(6))).toThrow(/whole F32/);
    expect(() => decodeToF32("F16", new Uint8Array(8), new Float32Array(3))).toThrow(/need 4/);
  });
});
