/**
 * Relaxed-SIMD f32 and weight-only kernels (gemm-relaxed.ts, f32x4.relaxed_madd) within the f32
 * bounds of a float64 oracle, and weight-only GEMM with several tokens equal to the f32 GEMM of the
 * dequantized matrix bit for bit (plain and relaxed modules). Node 20 has relaxed SIMD only behind
 * a flag: where this runtime lacks it, relaxed-cases.ts runs in a child Node with the flag.
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { createGemmKernel } from "../../lib/kernels/gemm-kernel.ts";
import { packMatrix } from "../../lib/quant/pack.ts";
import { dequantize } from "../../lib/quant/rtn.ts";
import { quantized, relaxedCases, RELAXED_SHAPES, W4A8_SHAPES, type RelaxedReport } from "./relaxed-cases.ts";

/** the report of relaxedCases() here, or from a child Node with --experimental-wasm-relaxed-simd */
async function report(): Promise<RelaxedReport | null> {
  const here = await relaxedCases();
  if (here.available) return here;
  const script = `import(${JSON.stringify(new URL("./relaxed-cases.ts", import.meta.url).href)}).then(async (m) => console.log(JSON.stringify(await m.relaxedCases())))`;
  try {
    const out = execFileSync(process.execPath, ["--experimental-wasm-relaxed-simd", "--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
    const rep = JSON.parse(out.trim().split("\n").pop()!) as RelaxedReport;
    return rep.available ? rep : null;
  } catch (e) {
    console.warn(`gemm relaxed f32: skipped, no child Node with relaxed SIMD (${(e as Error).message.split("\n")[0]})`);
    return null;
  }
}

describe("gemmF32Relaxed / gemmW{8,4}F32Relaxed (relaxed_madd)", () => {
  it("are within maxF32DotError / maxWeightOnlyError of a float64 oracle and weight-only equals f32 on dequantize(q) bit for bit", async () => {
    const rep = await report();
    if (!rep) return void console.warn("gemm relaxed f32: skipped, no runtime with relaxed SIMD");
    expect(rep.cases).toBe(RELAXED_SHAPES.length);
    expect(rep.worstF32).toBeLessThanOrEqual(1);
    expect(rep.worstWeightOnly).toBeLessThanOrEqual(1);
    expect(rep.notEqualDequantized).toEqual([]);
  }, 90_000);
});

describe("gemmW4A8Relaxed with several tokens (unpacked tiles, i16 partial sums)", () => {
  it("equals the plain gemmW4A8 bit for bit with long groups, odd token counts and extreme codes", async () => {
    const rep = await report();
    if (!rep) return void console.warn("gemm relaxed W4A8: skipped, no runtime with relaxed SIMD");
    expect(rep.w4a8Cases).toBe(4 * W4A8_SHAPES.length);
    expect(rep.w4a8Mismatches).toEqual([]);
  }, 90_000);
});

describe("gemm(handle, x, M) weight-only with several tokens (plain module)", () => {
  it("equals gemm on the f32 handle of dequantize(q) bit for bit (groups a multiple of 32, tails in N)", async () => {
    const k = await createGemmKernel();
    k.useRelaxed = false;
    for (const [M, N, K, G] of RELAXED_SHAPES.filter(([m, , , g]) => m > 1 && g % 32 === 0)) {
      const x = Float32Array.from({ length: M * K }, (_, i) => 0.1 + 2 * Math.cos(i + 1.7));
      for (const bits of [8, 4] as const) {
        const q = quantized(bits, N, K, G);
        const hq = k.loadPackedMatrix(packMatrix(q)), hd = k.loadF32Matrix(dequantize(q), N, K);
        const a = new Uint32Array(k.gemm(hq, x, M).buffer), b = new Uint32Array(k.gemm(hd, x, M).buffer);
        k.free(hq);
        k.free(hd);
        expect(Array.from(a), `W${bits} M=${M} N=${N} K=${K} g=${G}`).toEqual(Array.from(b));
      }
    }
  });
});
