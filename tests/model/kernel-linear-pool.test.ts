/**
 * lib/model/kernel-linear.ts pools: weights that outgrow one wasm32 memory go on into the next
 * (each with its own kernel), every Linear computes what it computes in a pool of one, each memory
 * keeps its reserve for the GEMM's own blocks, and a pool that is full says so.
 */
import { describe, expect, it } from "vitest";
import { kernelLinears } from "../../lib/model/kernel-linear.ts";

const MiB = 2 ** 20;
/** a small pool: 6 MiB memories with 1 MiB reserve each hold four 1 MiB weights */
const LIMIT = 6 * MiB, RESERVE = 1 * MiB, N = 512;

function seeded(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; a[i] = s / 2 ** 32 - 0.5; }
  return a;
}

describe("kernel linear pools", () => {
  it("spread weights over several memories, each Linear giving the one-memory result bit for bit", async () => {
    const pool = await kernelLinears({ memories: 4, memoryLimit: LIMIT, reserve: RESERVE });
    const one = await kernelLinears();
    const ws = Array.from({ length: 9 }, (_, i) => seeded(N * N, i + 1)); // 9 MiB of f32 weights
    const x = seeded(3 * N, 99);
    const lins = ws.map((w, i) => pool.f32(`w${i}`, w, N, N));
    expect(pool.kernels.length).toBe(3);
    for (const k of pool.kernels) expect(k.memory.buffer.byteLength).toBeLessThanOrEqual(LIMIT);
    for (const [i, w] of ws.entries()) {
      const ref = one.f32(`w${i}`, w, N, N);
      const a = new Float32Array(3 * N), b = new Float32Array(3 * N);
      lins[i]!.forward(x, 3, a);
      ref.forward(x, 3, b);
      expect(a).toEqual(b);
      ref.dispose?.();
    }
    // the reserve is there for the GEMM's own blocks: a 3-token product on the fullest memory still runs
    expect(pool.kernels.every((k) => k.heap.fits(RESERVE / 2))).toBe(true);
    // a freed weight's room is used again before a new memory is added
    lins[0]!.dispose?.();
    pool.f32("again", ws[0]!, N, N);
    expect(pool.kernels.length).toBe(3);
  });

  it("a full pool throws a RangeError naming the limit", async () => {
    const pool = await kernelLinears({ memories: 2, memoryLimit: LIMIT, reserve: RESERVE });
    const w = seeded(N * N, 7);
    expect(() => { for (let i = 0; i < 20; i++) pool.f32(`w${i}`, w, N, N); }).toThrow(/above the limit of 6291456/);
    expect(pool.kernels.length).toBe(2);
  });
});
