/**
 * Token tiles (gemm-common.ts tokenTile: an even number of tokens whose activations stay in L2
 * while every weight block passes over them) change only the loop order: every output is still
 * summed by one block-kernel call, so the tiled kernels equal the untiled v1 kernels bit for bit
 * for token counts that span several tiles (odd counts and a short last tile included).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createGemmKernel, type GemmKernel } from "../../lib/kernels/gemm-kernel.ts";
import { packMatrix } from "../../lib/quant/pack.ts";
import { dequantize } from "../../lib/quant/rtn.ts";
import { quantized } from "./relaxed-cases.ts";

/** [M, N, K]: f32 tiles hold at most 64 tokens at K = 2048, 130 at K = 1000 (TILE_BYTES = 512 KiB), balanced */
const SHAPES: Array<[number, number, number]> = [[131, 9, 2048], [64, 4, 2048], [65, 6, 2048], [261, 5, 1000], [3, 7, 2048]];

let k: GemmKernel;
beforeAll(async () => {
  k = await createGemmKernel();
  k.useRelaxed = false;
});

const wave = (n: number, offset: number) => Float32Array.from({ length: n }, (_, i) => 0.1 + 2 * Math.cos(i * 0.61 + offset));

describe("gemm(handle, x, M) f32 with token tiles", () => {
  for (const [M, N, K] of SHAPES) {
    it(`gemmF32 equals gemmF32V1 (no tiles) bit for bit for M=${M} N=${N} K=${K}`, () => {
      const h = k.loadF32Matrix(wave(N * K, 0.3), N, K), x = wave(M * K, 1.1);
      const tiled = new Uint32Array(k.gemm(h, x, M).buffer);
      k.useV1 = true;
      const v1 = new Uint32Array(k.gemm(h, x, M).buffer);
      k.useV1 = false;
      k.free(h);
      expect(Array.from(tiled)).toEqual(Array.from(v1));
    });
  }
});

describe("integer and weight-only kernels with token tiles", () => {
  for (const bits of [8, 4] as const) {
    it(`gemmA W${bits}A8 equals its scalar twins bit for bit over several tiles (M=131 N=6 K=2048, i16 tiles of at most 128 tokens)`, () => {
      const q = quantized(bits, 6, 2048, 128), x = wave(131 * 2048, 0.7);
      const h = k.loadPackedMatrix(packMatrix(q));
      const simd = new Uint32Array(k.gemmA(h, x, 131, 8).buffer);
      k.useSimd = false;
      const ref = new Uint32Array(k.gemmA(h, x, 131, 8).buffer);
      k.useSimd = true;
      k.free(h);
      expect(Array.from(simd)).toEqual(Array.from(ref));
    });

    it(`weight-only W${bits} equals the f32 GEMM of dequantize(q) bit for bit over several tiles (M=131 N=6 K=2048)`, () => {
      const q = quantized(bits, 6, 2048, 128), x = wave(131 * 2048, 0.7);
      const hq = k.loadPackedMatrix(packMatrix(q)), hd = k.loadF32Matrix(dequantize(q), 6, 2048);
      const a = new Uint32Array(k.gemm(hq, x, 131).buffer), b = new Uint32Array(k.gemm(hd, x, 131).buffer);
      k.free(hq);
      k.free(hd);
      expect(Array.from(a)).toEqual(Array.from(b));
    });
  }
});
