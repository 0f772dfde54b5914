/**
 * kernels-wasm/assembly/gemm.ts prepA / prepARef called directly on the module: the SIMD prepA
 * writes the same bytes as its scalar twin (activation codes and group sums, both formats, odd
 * group sizes), and the twin matches a plain-TS oracle of the layout in gemm.ts's header.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { WASM_BASE64 } from "../../lib/kernels/generated/gemm-wasm.ts";

type PrepFn = (codes: number, m: number, ng: number, g: number, gp: number, tok: number, dst: number, asum: number, format: number) => void;
/** activation formats (gemm-common.ts) */
const A16 = 0, A8S = 1;
/** group sizes: below, at and past the 16-code SIMD step and the 32-code W4 chunk */
const GROUPS = [1, 2, 3, 5, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 67, 127, 128];
const CODES = 65536, TOK = 1 << 20, DST = 2 << 20, ASUM = 4 << 20, SIZE = 5 << 20;

let ex: { prepA: PrepFn; prepARef: PrepFn };
let memory: WebAssembly.Memory;
beforeAll(async () => {
  memory = new WebAssembly.Memory({ initial: SIZE / 65536 });
  const bytes = Uint8Array.from(atob(WASM_BASE64), (c) => c.charCodeAt(0));
  ex = (await WebAssembly.instantiate(bytes, { env: { memory } })).instance.exports as unknown as typeof ex;
});

/** group-padded length: 16 codes (A16, W8 layout) or 32 (A8S, W4 layout) */
const padded = (g: number, format: number) => Math.ceil(g / (format === A16 ? 16 : 32)) * (format === A16 ? 16 : 32);
/** a8s position of group-local k: 16 x (bit 3 of k) + 2 (k & 7) + bit 4, per 32-code chunk (gemm-common.ts a8sPos) */
const a8sPos = (k: number) => (k & ~31) + ((k & 8) << 1) + ((k & 7) << 1) + ((k >> 4) & 1);

/** runs `fn` on fresh, garbage-filled outputs; returns dst and asum bytes */
function run(fn: PrepFn, codes: Uint8Array, zeros: number[], m: number, ng: number, g: number, format: number) {
  const gp = padded(g, format), dstBytes = m * ng * gp * (format === A16 ? 2 : 1);
  const u8 = new Uint8Array(memory.buffer);
  u8.set(codes, CODES);
  const tok = new Int32Array(memory.buffer, TOK, 2 * m);
  for (let t = 0; t < m; t++) { tok[2 * t] = 0x3c23d70a; tok[2 * t + 1] = zeros[t]!; } // f32 scale 0.01 (unused), i32 zero
  u8.fill(0xa5, DST, DST + dstBytes);
  u8.fill(0xa5, ASUM, ASUM + 4 * m * ng);
  fn(CODES, m, ng, g, gp, TOK, DST, ASUM, format);
  return { dst: u8.slice(DST, DST + dstBytes), asum: new Int32Array(memory.buffer, ASUM, m * ng).slice(), gp };
}

/** the layout of gemm.ts's header, from codes and zeros */
function oracle(codes: Uint8Array, zeros: number[], m: number, ng: number, g: number, format: number) {
  const gp = padded(g, format), kp = ng * gp;
  const dst = format === A16 ? new Int16Array(m * kp) : new Int8Array(m * kp);
  const asum = new Int32Array(m * ng);
  for (let t = 0; t < m; t++) {
    for (let gi = 0; gi < ng; gi++) {
      for (let j = 0; j < g; j++) {
        const c = codes[t * ng * g + gi * g + j]!;
        asum[t * ng + gi]! += c - zeros[t]!;
        if (format === A16) dst[t * kp + gi * gp + j] = c - zeros[t]!;
        else dst[t * kp + gi * gp + a8sPos(j)] = c - 128;
      }
    }
  }
  return { dst: new Uint8Array(dst.buffer), asum };
}

describe("prepA(codes, m, ng, g, gp, tok, dst, asum, format)", () => {
  for (const [format, name] of [[A16, "A16"], [A8S, "A8S"]] as const) {
    it(`prepA equals prepARef byte for byte and prepARef matches the layout oracle (${name}, g in ${GROUPS.join(",")}, 1-3 groups, 1-3 tokens)`, () => {
      let cases = 0;
      for (const g of GROUPS) {
        for (const [m, ng] of [[1, 1], [3, 2], [2, 3]] as const) {
          const codes = Uint8Array.from({ length: m * ng * g }, (_, i) => (i * 131 + 17 + ((i * i) >> 5)) % 256);
          const zeros = [0, 255, 77].slice(0, m);
          const simd = run(ex.prepA, codes, zeros, m, ng, g, format);
          const ref = run(ex.prepARef, codes, zeros, m, ng, g, format);
          const want = oracle(codes, zeros, m, ng, g, format);
          const at = `g=${g} m=${m} ng=${ng}`;
          expect(Array.from(simd.dst), at).toEqual(Array.from(ref.dst));
          expect(Array.from(simd.asum), at).toEqual(Array.from(ref.asum));
          expect(Array.from(ref.dst), at).toEqual(Array.from(want.dst));
          expect(Array.from(ref.asum), at).toEqual(Array.from(want.asum));
          cases++;
        }
      }
      expect(cases).toBe(GROUPS.length * 3);
    });
  }
});
