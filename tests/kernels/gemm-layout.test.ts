/**
 * lib/kernels/gemm-layout.ts and gemm-heap.ts without wasm: read-order layouts checked on
 * hand-sized examples against the layout comment of kernels-wasm/assembly/gemm.ts, and the
 * allocator's alignment, reuse and limit.
 */
import { describe, expect, it } from "vitest";
import { WasmHeap } from "../../lib/kernels/gemm-heap.ts";
import { f32Layout, layoutF32, layoutPacked, META_BYTES, packedCode, packedLayout } from "../../lib/kernels/gemm-layout.ts";
import type { PackedMatrix } from "../../lib/kernels/types.ts";

describe("f32Layout(rows, cols) and layoutF32", () => {
  it("pads K to a multiple of 8 and rows to blocks of 4, row r's four floats of chunk c at 16 c + 4 r", () => {
    const l = f32Layout(5, 3);
    expect([l.kp, l.np, l.weightBytes]).toEqual([8, 8, 8 * 8 * 4]);
    const w = Float32Array.from({ length: 15 }, (_, i) => i + 1); // w[i][k] = 3 i + k + 1
    const dst = new Float32Array(l.weightBytes / 4);
    layoutF32(w, l, dst);
    expect(Array.from(dst.subarray(0, 16))).toEqual([1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9, 0, 10, 11, 12, 0]);
    expect(Array.from(dst.subarray(16, 32))).toEqual(new Array(16).fill(0)); // k = 4..7: padding
    expect(Array.from(dst.subarray(32, 36))).toEqual([13, 14, 15, 0]); // block 1, row 4
  });
});

describe("packedLayout and layoutPacked", () => {
  const p4: PackedMatrix = {
    bits: 4, rows: 1, cols: 32, groupSize: 32, rowBytes: 16,
    data: Uint8Array.from({ length: 16 }, (_, j) => (2 * j) | ((2 * j + 1) << 4)).map((b) => b & 0xff), // code k = k & 15
    scales: Float32Array.of(0.5), zeros: Float32Array.of(3),
  };

  it("packedCode(p, i, j) reads the even column from the low nibble", () => {
    expect(Array.from({ length: 32 }, (_, j) => packedCode(p4, 0, j))).toEqual(Array.from({ length: 32 }, (_, j) => j & 15));
  });

  it("W4: u16 lane j of a row's chunk holds codes j, 8 + j, 16 + j, 24 + j in bits 0, 4, 8, 12; meta holds scale, zero, code sum", () => {
    const l = packedLayout(4, 1, 32, 32);
    expect([l.gp, l.kp, l.np, l.weightBytes, l.metaBytes]).toEqual([32, 32, 4, 64, META_BYTES]);
    const dst = new Uint8Array(l.weightBytes), meta = new ArrayBuffer(l.metaBytes);
    layoutPacked(p4, l, dst, new Float32Array(meta), new Int32Array(meta));
    const lanes = new Uint16Array(dst.buffer, 0, 8);
    for (let j = 0; j < 8; j++) {
      const want = (j & 15) | (((8 + j) & 15) << 4) | (((16 + j) & 15) << 8) | (((24 + j) & 15) << 12);
      expect(lanes[j]).toBe(want);
    }
    expect(Array.from(dst.subarray(16))).toEqual(new Array(48).fill(0)); // rows 1..3 of the block: padding
    expect(new Float32Array(meta)[0]).toBe(0.5);
    expect(Array.from(new Int32Array(meta).subarray(4, 12))).toEqual([3, 0, 0, 0, 2 * (15 * 16) / 2, 0, 0, 0]);
  });

  it("W8: groups padded to 16 codes, row r's 16 codes of chunk c at 64 c + 16 r", () => {
    const p: PackedMatrix = {
      bits: 8, rows: 2, cols: 6, groupSize: 3, rowBytes: 6, data: Uint8Array.from({ length: 12 }, (_, i) => i + 1),
      scales: new Float32Array(4).fill(1), zeros: new Float32Array(4),
    };
    const l = packedLayout(8, 2, 6, 3);
    expect([l.ng, l.gp, l.kp]).toEqual([2, 16, 32]);
    const dst = new Uint8Array(l.weightBytes), meta = new ArrayBuffer(l.metaBytes);
    layoutPacked(p, l, dst, new Float32Array(meta), new Int32Array(meta));
    expect(Array.from(dst.subarray(0, 3))).toEqual([1, 2, 3]); // row 0, group 0
    expect(Array.from(dst.subarray(16, 19))).toEqual([7, 8, 9]); // row 1, group 0
    expect(Array.from(dst.subarray(64, 67))).toEqual([4, 5, 6]); // row 0, group 1 (group stride 4 gp)
    expect(Array.from(new Int32Array(meta).subarray(8, 10))).toEqual([6, 24]); // code sums of group 0, rows 0 and 1
  });
});

describe("WasmHeap", () => {
  it("alloc(bytes) returns 64-byte aligned blocks above base, reuses released ones and grows memory", () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const heap = new WasmHeap(memory, 1024, 1 << 24);
    const a = heap.alloc(1), b = heap.alloc(100), c = heap.alloc(70000);
    expect([a, b]).toEqual([1024, 1088]);
    expect(c % 64).toBe(0);
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(c + 70000);
    heap.release(b);
    expect(heap.alloc(64)).toBe(1088);
    heap.release(a);
    heap.release(1088);
    heap.release(c);
    expect(heap.used).toBe(0);
    expect(heap.alloc(300)).toBe(1024); // everything coalesced back to the base
  });

  it("alloc past the limit throws a RangeError, a double release an Error", () => {
    const heap = new WasmHeap(new WebAssembly.Memory({ initial: 1 }), 0, 65536);
    expect(() => heap.alloc(65537)).toThrow(RangeError);
    const p = heap.alloc(10);
    heap.release(p);
    expect(() => heap.release(p)).toThrow(/not allocated/);
  });
});
