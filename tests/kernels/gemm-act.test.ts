/**
 * kernels-wasm/assembly/gemm-act.ts through GemmKernel.quantizeActivations / gemmA: the wasm
 * activation quantizer (SIMD and its scalar twin) gives lib/quant's quantizeActivations codes,
 * scales and zeros bit for bit (odd lengths, every code width, NaN / ±Infinity, constant and empty
 * ranges), and gemmA equals gemmQ on lib/quant's codes bit for bit.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createGemmKernel, type GemmKernel } from "../../lib/kernels/gemm-kernel.ts";
import { packMatrix } from "../../lib/quant/pack.ts";
import { quantizeActivations } from "../../lib/quant/rtn.ts";
import type { QuantizedActivations } from "../../lib/kernels/types.ts";

const LENGTHS = [1, 2, 3, 5, 7, 8, 15, 16, 17, 31, 33, 63, 67, 127, 768];

let k: GemmKernel;
beforeAll(async () => {
  k = await createGemmKernel();
});

/** deterministic rows with varied ranges; `special` plants NaN / ±Infinity / -0 */
function rows(M: number, K: number, special: boolean): Float32Array {
  const x = Float32Array.from({ length: M * K }, (_, i) => (0.1 + 2 * Math.cos(i * 0.7 + 1.3)) * (1 + (Math.floor(i / K) % 3) * 7.5));
  if (special) {
    for (let i = 0; i < x.length; i += 11) x[i] = [NaN, Infinity, -Infinity, -0, 0.5][(i / 11) % 5]!;
  }
  return x;
}

function expectSame(got: QuantizedActivations, want: QuantizedActivations, what: string): void {
  expect(got.rows, what).toBe(want.rows);
  for (let t = 0; t < want.rows; t++) {
    if (!Object.is(got.scales[t], want.scales[t]) || got.zeros[t] !== want.zeros[t]) {
      expect(`${what} token ${t}: scale ${got.scales[t]} zero ${got.zeros[t]}`).toBe(`scale ${want.scales[t]} zero ${want.zeros[t]}`);
    }
  }
  for (let i = 0; i < want.rows * want.cols; i++) {
    if (got.codes[i] !== want.codes[i]) expect(`${what} code ${i}: ${got.codes[i]}`).toBe(`${want.codes[i]}`);
  }
}

describe("GemmKernel.quantizeActivations(x, M, cols, bits)", () => {
  for (const simd of [true, false]) {
    for (const bits of [8, 4, 3, 2] as const) {
      it(`${simd ? "quantActs" : "quantActsRef"} equals lib/quant quantizeActivations bit for bit at ${bits} bits (odd lengths, NaN and ±Infinity)`, () => {
        k.useSimd = simd;
        try {
          for (const K of LENGTHS) {
            for (const special of [false, true]) {
              const x = rows(3, K, special);
              expectSame(k.quantizeActivations(x, 3, K, bits), quantizeActivations(x, 3, K, bits), `K=${K} special=${special}`);
            }
          }
        } finally {
          k.useSimd = true;
        }
      });
    }
  }

  it("quantizeActivations treats rows with no finite value, constant rows and huge ranges as lib/quant does", () => {
    const K = 21;
    const cases = [
      new Float32Array(K).fill(NaN), new Float32Array(K).fill(Infinity), new Float32Array(K).fill(3.25), new Float32Array(K),
      Float32Array.from({ length: K }, (_, i) => (i % 2 ? 3e38 : -3e38)), Float32Array.from({ length: K }, (_, i) => i * 1e-7),
    ];
    for (const [c, x] of cases.entries()) expectSame(k.quantizeActivations(x, 1, K, 8), quantizeActivations(x, 1, K, 8), `case ${c}`);
  });

  it("quantizeActivations rejects bits outside 2..8 and lengths that do not match", () => {
    expect(() => k.quantizeActivations(new Float32Array(4), 1, 4, 9)).toThrow(/bits 9 outside 2..8/);
    expect(() => k.quantizeActivations(new Float32Array(5), 1, 4, 8)).toThrow(/x has 5 values/);
  });
});

describe("GemmKernel.gemmA(handle, x, M, bits)", () => {
  for (const bits of [8, 4] as const) {
    for (const [N, K, G, M] of [[5, 35, 7, 3], [9, 256, 128, 5], [17, 130, 65, 4], [8, 64, 32, 1]] as const) {
      it(`gemmA equals gemmQ(quantizeActivations(x)) bit for bit for W${bits} (N=${N} K=${K} g=${G} M=${M}, A8 and A4)`, () => {
        const codes = Uint8Array.from({ length: N * K }, (_, i) => (i * 97 + ((i * i) >> 3)) % 2 ** bits);
        const ng = N * (K / G);
        const p = packMatrix({
          bits, sym: false, rows: N, cols: K, groupSize: G, codes,
          scales: Float32Array.from({ length: ng }, (_, i) => 0.01 + 0.003 * Math.abs(Math.sin(i + 1))),
          zeros: Float32Array.from({ length: ng }, (_, i) => (i * 37 + 3) % 2 ** bits),
        });
        const h = k.loadPackedMatrix(p), x = rows(M, K, false);
        try {
          for (const actBits of [8, 4]) {
            const want = new Uint32Array(k.gemmQ(h, quantizeActivations(x, M, K, actBits)).buffer);
            const got = new Uint32Array(k.gemmA(h, x, M, actBits).buffer);
            expect(Array.from(got)).toEqual(Array.from(want));
          }
        } finally {
          k.free(h);
        }
      });
    }
  }

  it("gemmA rejects an f32 handle and leaves no memory allocated", () => {
    const before = k.heap.used;
    const h = k.loadF32Matrix(new Float32Array(6), 2, 3);
    expect(() => k.gemmA(h, new Float32Array(3), 1, 8)).toThrow(/needs a packed matrix/);
    k.free(h);
    expect(k.heap.used).toBe(before);
  });
});
