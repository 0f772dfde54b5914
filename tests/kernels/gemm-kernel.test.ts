/**
 * kernels-wasm/assembly/gemm.ts through lib/kernels/gemm-kernel.ts: integer SIMD kernels equal
 * their scalar twins bit for bit, the twins match a float64 oracle computed from codes, scales and
 * zeros within the f32 rounding of their combination step; f32 and weight-only kernels within named
 * bounds of a float64 oracle; validation errors.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createGemmKernel, type GemmKernel } from "../../lib/kernels/gemm-kernel.ts";
import { MAX_INT_GROUP_SIZE } from "../../lib/kernels/gemm-layout.ts";
import { packMatrix } from "../../lib/quant/pack.ts";
import type { PackedMatrix, QuantizedActivations } from "../../lib/kernels/types.ts";

const U = 2 ** -24;
/** f32 dot of K terms (SIMD: 8 lanes + 3 folds; Ref: one chain): gamma_(K+2) of sum |w x| */
const maxF32DotError = (K: number) => (K + 2) * U;
/** integer kernels: f32(isum), sw * sa, the product and ng sums: (ng + 3) u of sum |term| */
const maxIntCombineError = (ng: number) => (ng + 3) * U;
/**
 * weight-only: the Ref sums a g-term f32 chain per group, scales it and sums ng groups (g + ng + 2 <= K + 3
 * roundings); the SIMD kernel for several tokens dequantizes each weight (2 roundings) into a K-term dot
 */
const maxWeightOnlyError = (K: number) => (K + 4) * U;

const wave = (n: number, offset: number) => Float32Array.from({ length: n }, (_, i) => 0.1 + 2 * Math.cos(i + offset));

/** PackedMatrix from codes [rows, cols] through lib/quant's packMatrix (4-bit: even column in the low nibble). */
function pack(bits: 4 | 8, rows: number, cols: number, groupSize: number, codes: Uint8Array, scales: Float32Array, zeros: Float32Array): PackedMatrix {
  return packMatrix({ bits, sym: false, rows, cols, groupSize, codes, scales, zeros });
}

type Zeros = "sym" | "asym";
/** deterministic codes, scales and zeros: sym = 2^(b-1) zero points, asym = spread over [0, 2^b - 1] */
function matrix(bits: 4 | 8, rows: number, cols: number, groupSize: number, zeros: Zeros) {
  const max = 2 ** bits - 1, ng = rows * (cols / groupSize);
  const codes = Uint8Array.from({ length: rows * cols }, (_, i) => (i * 97 + ((i * i) >> 3)) % (max + 1));
  const scales = Float32Array.from({ length: ng }, (_, i) => 0.01 + 0.003 * Math.abs(Math.sin(i + 1)));
  const z = Float32Array.from({ length: ng }, (_, i) => (zeros === "sym" ? 2 ** (bits - 1) : (i * 37 + 3) % (max + 1)));
  return { codes, scales, zeros: z, packed: pack(bits, rows, cols, groupSize, codes, scales, z) };
}

function activations(rows: number, cols: number, zeros: Zeros): QuantizedActivations {
  const codes = Uint8Array.from({ length: rows * cols }, (_, i) => (i * 131 + 17 + ((i * i) >> 5)) % 256);
  const scales = Float32Array.from({ length: rows }, (_, t) => 0.02 + 0.01 * t);
  const z = Float32Array.from({ length: rows }, (_, t) => (zeros === "sym" ? 128 : [0, 255, 77, 200, 1][t % 5]!));
  return { bits: 8, rows, cols, codes, scales, zeros: z };
}

/** float64 oracle of the integer kernels from codes: y and sum of |group terms| per output */
function intOracle(m: ReturnType<typeof matrix>, a: QuantizedActivations, N: number, K: number, G: number) {
  const ng = K / G, y = new Float64Array(a.rows * N), mag = new Float64Array(a.rows * N);
  for (let t = 0; t < a.rows; t++) {
    for (let n = 0; n < N; n++) {
      for (let gi = 0; gi < ng; gi++) {
        let isum = 0;
        for (let k = gi * G; k < (gi + 1) * G; k++) isum += (m.codes[n * K + k]! - m.zeros[n * ng + gi]!) * (a.codes[t * K + k]! - a.zeros[t]!);
        const term = isum * m.scales[n * ng + gi]! * a.scales[t]!;
        y[t * N + n]! += term;
        mag[t * N + n]! += Math.abs(term);
      }
    }
  }
  return { y, mag };
}

/** float64 oracle of the weight-only kernels: dequantized W times x, and sum |w x| */
function weightOnlyOracle(m: ReturnType<typeof matrix>, x: Float32Array, M: number, N: number, K: number, G: number) {
  const ng = K / G, y = new Float64Array(M * N), mag = new Float64Array(M * N);
  for (let t = 0; t < M; t++) {
    for (let n = 0; n < N; n++) {
      for (let k = 0; k < K; k++) {
        const g = n * ng + Math.floor(k / G);
        const v = (m.codes[n * K + k]! - m.zeros[g]!) * m.scales[g]! * x[t * K + k]!;
        y[t * N + n]! += v;
        mag[t * N + n]! += Math.abs(v);
      }
    }
  }
  return { y, mag };
}

function expectWithin(got: Float32Array, want: Float64Array, mag: Float64Array, rel: number): void {
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i]! - want[i]!);
    if (!(err <= rel * mag[i]! + 1e-30)) expect(`[${i}] ${got[i]} vs ${want[i]} (err ${err}, bound ${rel * mag[i]!})`).toBe("within bound");
  }
}

function expectSameBits(a: Float32Array, b: Float32Array, what: string): void {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length), ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) expect(`${what} [${i}]: ${a[i]} vs ${b[i]}`).toBe("equal");
}

let k: GemmKernel;
beforeAll(async () => {
  k = await createGemmKernel();
});

const twins = <T,>(fn: () => T): [T, T] => {
  k.useSimd = true;
  const s = fn();
  k.useSimd = false;
  const r = fn();
  k.useSimd = true;
  return [s, r];
};

describe("gemm(handle, x, M) on an f32 matrix", () => {
  for (const [M, N, K] of [[1, 1, 1], [1, 3, 5], [2, 4, 8], [3, 5, 7], [1, 17, 33], [5, 13, 67], [2, 33, 127], [1, 8, 1000]]) {
    it(`gemmF32 and gemmF32Ref are within maxF32DotError(K) of a float64 oracle for M=${M} N=${N} K=${K}`, () => {
      const w = wave(N * K, 0.3), x = wave(M * K, 1.7);
      const h = k.loadF32Matrix(w, N, K);
      const [s, r] = twins(() => k.gemm(h, x, M));
      k.free(h);
      const y = new Float64Array(M * N), mag = new Float64Array(M * N);
      for (let t = 0; t < M; t++) {
        for (let n = 0; n < N; n++) {
          for (let j = 0; j < K; j++) { const v = w[n * K + j]! * x[t * K + j]!; y[t * N + n]! += v; mag[t * N + n]! += Math.abs(v); }
        }
      }
      expectWithin(s, y, mag, maxF32DotError(K));
      expectWithin(r, y, mag, maxF32DotError(K));
    });
  }

  it("gemm(handle, x, M, out) writes into out and returns it", () => {
    const h = k.loadF32Matrix(wave(6, 0), 3, 2);
    const out = new Float32Array(3);
    expect(k.gemm(h, Float32Array.of(1, 0), 1, out)).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(wave(6, 0).filter((_, i) => i % 2 === 0)));
    k.free(h);
  });
});

// [N, K, groupSize, M]: odd sizes, tails in N (N % 4), groups that are not whole chunks, per-channel
const SHAPES: Array<[number, number, number, number]> = [
  [1, 1, 1, 1], [3, 5, 5, 2], [4, 16, 16, 1], [5, 35, 7, 3], [7, 33, 11, 1], [8, 64, 32, 2],
  [13, 96, 96, 1], [17, 130, 65, 4], [9, 256, 128, 5], [4, 63, 21, 1],
];

describe("readF32Row(handle, i, out) reads a row back from the block layout", () => {
  for (const [N, K] of [[1, 1], [3, 5], [5, 8], [9, 67], [4, 1000]]) {
    it(`returns every row of a ${N}x${K} matrix bit for bit`, () => {
      const w = wave(N * K, 0.9), h = k.loadF32Matrix(w, N, K), out = new Float32Array(K);
      for (let i = 0; i < N; i++) {
        k.readF32Row(h, i, out);
        expect(out).toEqual(w.subarray(i * K, (i + 1) * K));
      }
      k.free(h);
    });
  }

  it("rejects a row outside the matrix, a short out and a packed handle", () => {
    const h = k.loadF32Matrix(wave(6, 0), 3, 2);
    expect(() => k.readF32Row(h, 3, new Float32Array(2))).toThrow(/row 3 outside \[0, 3\)/);
    expect(() => k.readF32Row(h, 0, new Float32Array(1))).toThrow(/row of 2 values into 1/);
    k.free(h);
    const p = k.loadPackedMatrix(pack(8, 4, 16, 16, new Uint8Array(64).fill(3), new Float32Array(4).fill(1), new Float32Array(4)));
    expect(() => k.readF32Row(p, 0, new Float32Array(16))).toThrow(/readF32Row of a w8 matrix/);
    k.free(p);
  });
});

describe("gemmQ(handle, activations) W8A8 / W4A8", () => {
  for (const bits of [8, 4] as const) {
    for (const zeros of ["sym", "asym"] as const) {
      for (const [N, K, G, M] of SHAPES) {
        it(`gemm${bits === 8 ? "W8" : "W4"}A8 equals its Ref bit for bit and the Ref matches a float64 oracle (${zeros}, N=${N} K=${K} g=${G} M=${M})`, () => {
          const m = matrix(bits, N, K, G, zeros), a = activations(M, K, zeros);
          const h = k.loadPackedMatrix(m.packed);
          const useRelaxed = k.useRelaxed;
          k.useRelaxed = false;
          const [s, r] = twins(() => k.gemmQ(h, a));
          k.useRelaxed = useRelaxed;
          k.useV1 = true;
          const v1 = k.gemmQ(h, a);
          k.useV1 = false;
          k.free(h);
          expectSameBits(s, r, "SIMD vs Ref");
          expectSameBits(v1, r, "SIMD v1 vs Ref");
          const o = intOracle(m, a, N, K, G);
          expectWithin(r, o.y, o.mag, maxIntCombineError(K / G));
        });
      }
    }
  }

  it(`gemmW8A8 is exact at the largest group (MAX_INT_GROUP_SIZE = ${MAX_INT_GROUP_SIZE}) with extreme codes`, () => {
    const K = MAX_INT_GROUP_SIZE, N = 5;
    const codes = new Uint8Array(N * K).fill(255);
    const p = pack(8, N, K, K, codes, new Float32Array(N).fill(1), new Float32Array(N));
    const a: QuantizedActivations = { bits: 8, rows: 1, cols: K, codes: new Uint8Array(K).fill(255), scales: Float32Array.of(1), zeros: Float32Array.of(0) };
    const h = k.loadPackedMatrix(p);
    const [s, r] = twins(() => k.gemmQ(h, a));
    k.free(h);
    expectSameBits(s, r, "SIMD vs Ref");
    expect(r[0]).toBe(Math.fround(K * 255 * 255));
  });
});

describe("gemm(handle, x, M) weight-only W8 / W4", () => {
  for (const bits of [8, 4] as const) {
    for (const [N, K, G, M] of SHAPES) {
      it(`gemm${bits === 8 ? "W8" : "W4"}F32 and its Ref are within maxWeightOnlyError of a float64 oracle (N=${N} K=${K} g=${G} M=${M})`, () => {
        const m = matrix(bits, N, K, G, "asym"), x = wave(M * K, 0.9);
        const h = k.loadPackedMatrix(m.packed);
        const [s, r] = twins(() => k.gemm(h, x, M));
        k.free(h);
        const o = weightOnlyOracle(m, x, M, N, K, G);
        expectWithin(s, o.y, o.mag, maxWeightOnlyError(K));
        expectWithin(r, o.y, o.mag, maxWeightOnlyError(K));
      });
    }
  }
});

describe("GemmKernel validation and memory", () => {
  const good = () => matrix(8, 4, 8, 4, "asym").packed;
  it("loadPackedMatrix(p) rejects inconsistent matrices with a RangeError", () => {
    expect(() => k.loadPackedMatrix({ ...good(), groupSize: 3 })).toThrow(/groupSize 3 does not divide cols/);
    expect(() => k.loadPackedMatrix({ ...good(), rowBytes: 4 })).toThrow(/rowBytes 4, expected 8/);
    expect(() => k.loadPackedMatrix({ ...good(), data: new Uint8Array(31) })).toThrow(/data has 31 bytes/);
    expect(() => k.loadPackedMatrix({ ...good(), scales: new Float32Array(7) })).toThrow(/scales\/zeros have 7\/8/);
    expect(() => k.loadPackedMatrix({ ...good(), zeros: new Float32Array(8).fill(1.5) })).toThrow(/zero 1.5 at group 0/);
    expect(() => k.loadPackedMatrix({ ...matrix(4, 4, 8, 4, "asym").packed, zeros: new Float32Array(8).fill(16) })).toThrow(/not an integer in \[0, 15\]/);
    expect(() => k.loadPackedMatrix({ ...good(), bits: 6 as 8 })).toThrow(/bits 6/);
    const big = MAX_INT_GROUP_SIZE * 2;
    expect(() => k.loadPackedMatrix(pack(8, 1, big, big, new Uint8Array(big), Float32Array.of(1), Float32Array.of(0)))).toThrow(/above MAX_INT_GROUP_SIZE/);
  });

  it("loadF32Matrix, gemm and gemmQ reject lengths that do not match the shape, freed and foreign handles", async () => {
    expect(() => k.loadF32Matrix(new Float32Array(5), 2, 3)).toThrow(/given 5 values/);
    expect(() => k.loadF32Matrix(new Float32Array(0), 0, 3)).toThrow(/positive integers/);
    const h = k.loadF32Matrix(new Float32Array(6), 2, 3);
    expect(() => k.gemm(h, new Float32Array(5), 2)).toThrow(/x has 5 values, expected M x cols = 2 x 3/);
    expect(() => k.gemm(h, new Float32Array(3), 1.5)).toThrow(/M = 1.5/);
    expect(() => k.gemm(h, new Float32Array(3), 1, new Float32Array(3))).toThrow(/out has 3 values/);
    expect(() => k.gemmQ(h, activations(1, 3, "sym"))).toThrow(/needs a packed matrix/);
    k.free(h);
    expect(() => k.gemm(h, new Float32Array(3), 1)).toThrow(/after free/);
    const other = await createGemmKernel();
    const ho = other.loadF32Matrix(new Float32Array(6), 2, 3);
    expect(() => k.gemm(ho, new Float32Array(3), 1)).toThrow(/another kernel instance/);
    const p = k.loadPackedMatrix(good());
    expect(() => k.gemmQ(p, activations(1, 7, "sym"))).toThrow(/7 columns, matrix 8/);
    expect(() => k.gemmQ(p, { ...activations(2, 8, "sym"), scales: Float32Array.of(1) })).toThrow(/1 scales/);
    expect(() => k.gemmQ(p, { ...activations(1, 8, "sym"), zeros: Float32Array.of(256) })).toThrow(/activation zero 256/);
    expect(() => k.gemmQ(p, { ...activations(1, 8, "sym"), codes: new Uint8Array(7) })).toThrow(/activation codes has 7 values, fewer than/);
    k.free(p);
  });

  it("gemmQ(handle, a) reads the first rows x cols codes of longer buffers (quantizeActivations refilling a caller's out)", () => {
    const m = matrix(8, 5, 64, 32, "asym"), a = activations(3, 64, "asym");
    const h = k.loadPackedMatrix(m.packed);
    const want = k.gemmQ(h, a);
    const codes = new Uint8Array(5 * 64).fill(7), scales = new Float32Array(5).fill(9), zeros = new Float32Array(5).fill(3);
    codes.set(a.codes);
    scales.set(a.scales);
    zeros.set(a.zeros);
    const got = k.gemmQ(h, { ...a, codes, scales, zeros });
    k.free(h);
    expectSameBits(got, want, "longer buffers");
  });

  it("free(handle) returns the matrix's memory, and calls leave none allocated", () => {
    const before = k.heap.used;
    const h = k.loadPackedMatrix(matrix(4, 9, 64, 32, "sym").packed);
    expect(k.heap.used).toBeGreaterThan(before);
    k.gemmQ(h, activations(2, 64, "asym"));
    k.gemm(h, wave(128, 0), 2);
    k.free(h);
    expect(k.heap.used).toBe(before);
  });
});

/**
 * Relaxed SIMD (W4A8 on i16x8.relaxed_dot_i8x16_i7x16_s): equals the plain kernel bit for bit. Node
 * 20 has relaxed SIMD only behind a flag, so where this runtime lacks it the comparison runs in a
 * child Node with --experimental-wasm-relaxed-simd (plain JS driving the same wrapper through tsx).
 */
const RELAXED_SCRIPT = `
const { createGemmKernel } = await import(${JSON.stringify(new URL("../../lib/kernels/gemm-kernel.ts", import.meta.url).href)});
const k = await createGemmKernel();
if (!k.relaxedAvailable) { console.log(JSON.stringify({ unavailable: true })); process.exit(0); }
const shapes = ${JSON.stringify(SHAPES)};
let cases = 0; const mismatches = [];
for (const zeros of ["sym", "asym"]) for (const [N, K, G, M] of shapes) {
  const ng = N * (K / G), rowBytes = Math.ceil(K / 2), data = new Uint8Array(N * rowBytes);
  for (let i = 0; i < N; i++) for (let j = 0; j < K; j++) { const c = (i * K + j) * 7 % 16; data[i * rowBytes + (j >> 1)] |= c << ((j & 1) * 4); }
  const p = { bits: 4, rows: N, cols: K, groupSize: G, rowBytes, data, scales: Float32Array.from({ length: ng }, (_, i) => 0.01 + 0.001 * i),
    zeros: Float32Array.from({ length: ng }, (_, i) => zeros === "sym" ? 8 : (i * 5) % 16) };
  const a = { bits: 8, rows: M, cols: K, codes: Uint8Array.from({ length: M * K }, (_, i) => (i * 131 + 17) % 256),
    scales: Float32Array.from({ length: M }, (_, t) => 0.02 + 0.01 * t), zeros: Float32Array.from({ length: M }, (_, t) => zeros === "sym" ? 128 : (t * 77) % 256) };
  const h = k.loadPackedMatrix(p);
  const runs = [[false, true], [true, true], [true, false]].map(([relaxed, simd]) => { k.useRelaxed = relaxed; k.useSimd = simd; return new Uint32Array(k.gemmQ(h, a).buffer); });
  k.free(h); cases++;
  for (const r of runs.slice(1)) if (r.some((v, i) => v !== runs[0][i])) mismatches.push([zeros, N, K, G, M]);
}
console.log(JSON.stringify({ cases, mismatches }));
`;

describe("gemmW4A8Relaxed (relaxed-SIMD module)", () => {
  it("gemmW4A8Relaxed and gemmW4A8RelaxedRef equal the plain gemmW4A8 bit for bit (sym and asym zeros, odd shapes)", async () => {
    if (k.relaxedAvailable) {
      for (const zeros of ["sym", "asym"] as const) {
        for (const [N, K, G, M] of SHAPES) {
          const m = matrix(4, N, K, G, zeros), a = activations(M, K, zeros);
          const h = k.loadPackedMatrix(m.packed);
          k.useRelaxed = false;
          const plain = k.gemmQ(h, a);
          k.useRelaxed = true;
          const [s, r] = twins(() => k.gemmQ(h, a));
          k.free(h);
          expectSameBits(s, plain, "relaxed SIMD vs plain");
          expectSameBits(r, plain, "relaxed Ref vs plain");
        }
      }
      return;
    }
    const { execFileSync } = await import("node:child_process");
    let stdout: string;
    try {
      stdout = execFileSync(process.execPath, ["--experimental-wasm-relaxed-simd", "--import", "tsx", "--input-type=module", "-e", RELAXED_SCRIPT], { encoding: "utf8", timeout: 30_000 });
    } catch (e) {
      console.warn(`gemm relaxed: skipped, no child Node with relaxed SIMD (${(e as Error).message.split("\n")[0]})`);
      return;
    }
    const res = JSON.parse(stdout.trim().split("\n").pop()!) as { unavailable?: true; cases: number; mismatches: unknown[] };
    if (res.unavailable) return void console.warn("gemm relaxed: skipped, the child runtime has no relaxed SIMD either");
    expect(res.mismatches).toEqual([]);
    expect(res.cases).toBe(2 * SHAPES.length);
  });
});
