/**
 * GEMM figures on the evaluation's prefill shapes (a window of M = 512 tokens through a 110M
 * Llama: dim 768, hidden 2048, vocab 32000), one thread, GOPS = 2 M N K / s / 1e9 of one typed
 * call of lib/kernels/gemm-kernel.ts per CPU second of this process (bench/gemm.ts's time(): best
 * of 5 reps; on the shared machine wall time moves with the load far more than CPU time, so every
 * figure here is a `_cpu_gops`, onnxruntime-web's too), each new path next to the path it
 * replaced, timed back to back in the same run:
 *   gemm512_<shape>_f32_v1_cpu_gops            gemmF32V1 (plain SIMD, no token tiles: the old kernel)
 *   gemm512_<shape>_f32_cpu_gops               gemmF32 (plain SIMD, token tiles)
 *   gemm512_<shape>_f32_relaxed_cpu_gops       gemmF32Relaxed (relaxed_madd), where the runtime has relaxed SIMD
 *   gemm512_<shape>_{w8a8,w4a8}_old_cpu_gops   JS quantizeActivations + gemmQ, plain kernels (the old path)
 *   gemm512_<shape>_{w8a8,w4a8}_cpu_gops       gemmA (activations quantized in wasm), plain kernels
 *   gemm512_<shape>_w4a8_relaxed_cpu_gops      gemmA on the relaxed W4A8 tile kernel
 *   gemm512_<shape>_{w8,w4}_cpu_gops           weight-only gemm (4-row tiles dequantized through the f32 block kernel)
 *   gemm512_<shape>_{w8,w4}_relaxed_cpu_gops   the same on relaxed_madd
 *   gemm512_<shape>_ort_{f32,int8,int8_dynamic,int4}_cpu_gops  onnxruntime-web MatMul, MatMulInteger (u8 x s8
 *                                          codes given), DynamicQuantizeLinear + MatMulInteger (from f32, as
 *                                          gemmA), MatMulNBits (b128, best of accuracy_level 0 / 4)
 *   *_vs_old, *_vs_plain, *_vs_f32, *_vs_ort_*  ratios of the figures above
 * Shapes [K, N]: qkvo 768 x 768, up 768 x 2048 (gate/up), down 2048 x 768, lmhead 768 x 32000 (f32 only:
 * lm_head stays f32 in every spec). Weights: asymmetric, groups of 128. Before timing, gemmA is checked
 * against gemmQ on lib/quant's codes and the relaxed kernels against the plain ones.
 */
import * as ort from "onnxruntime-web";
import { createGemmKernel, type GemmKernel } from "../lib/kernels/gemm-kernel.ts";
import type { PackedMatrix } from "../lib/kernels/types.ts";
import { dynamicCase, f32Case, matMulIntegerCase, nbitsCase } from "../lib/model/ort/matmul-graphs.ts";
import { quantizeActivations } from "../lib/quant/rtn.ts";
import { gopsOf, time } from "./gemm.ts";
import { timeCase } from "./ort-matmul.ts";

const M = 512;
const GROUP = 128;
const SHAPES: Record<string, [number, number]> = { qkvo: [768, 768], up: [768, 2048], down: [2048, 768], lmhead: [768, 32000] };
/** relaxed f32 vs plain f32: both within (K + 2) 2^-24 of sum |w x|; 1e-4 relative is far above that at K <= 2048 */
const F32_REL = 1e-4;

/** deterministic packed matrix: codes spread over [0, 2^bits - 1], asymmetric zeros */
function packed(bits: 4 | 8, rows: number, cols: number): PackedMatrix {
  const rowBytes = bits === 8 ? cols : cols / 2, ng = rows * (cols / GROUP), max = 2 ** bits - 1;
  const data = new Uint8Array(rows * rowBytes);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
  const scales = Float32Array.from({ length: ng }, (_, i) => 0.01 + 0.001 * (i % 7));
  const zeros = Float32Array.from({ length: ng }, (_, i) => (i * 37) % (max + 1));
  return { bits, rows, cols, groupSize: GROUP, rowBytes, data, scales, zeros };
}

function sameBits(a: Float32Array, b: Float32Array, what: string): void {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length), ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) throw new Error(`bench gemm-shapes: ${what}: ${a[i]} != ${b[i]} at ${i}`);
}

function close(a: Float32Array, b: Float32Array, what: string): void {
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i]! - b[i]!) <= F32_REL * Math.max(1, Math.abs(b[i]!)))) throw new Error(`bench gemm-shapes: ${what}: ${a[i]} vs ${b[i]} at ${i}`);
  }
}

/** `fn` with kernel switches set, restored afterwards */
function using(k: GemmKernel, relaxed: boolean, fn: () => Float32Array): Float32Array {
  const r = k.useRelaxed;
  k.useRelaxed = relaxed;
  try { return fn(); } finally { k.useRelaxed = r; }
}

/** Our figures for one shape (validated first), in `out`. */
function oursFor(k: GemmKernel, name: string, K: number, N: number, out: Record<string, number>, log: (s: string) => void): void {
  const x = Float32Array.from({ length: M * K }, (_, i) => Math.sin(i * 0.37)), y = new Float32Array(M * N);
  const relaxed = k.relaxedAvailable, key = (s: string) => `gemm512_${name}_${s}`;
  const fig = (s: string, rel: boolean, fn: () => unknown) => {
    out[key(`${s}_cpu_gops`)] = gopsOf(M, N, K, time(() => using(k, rel, () => { fn(); return y; })).cpu);
    log(`${key(s)} ${out[key(`${s}_cpu_gops`)]}`);
  };
  const hf = k.loadF32Matrix(Float32Array.from({ length: N * K }, (_, i) => Math.cos(i) * 0.05), N, K);
  try {
    if (relaxed) close(using(k, true, () => k.gemm(hf, x, M)), using(k, false, () => k.gemm(hf, x, M)), "f32 relaxed vs plain");
    k.useV1 = true;
    const v1 = using(k, false, () => k.gemm(hf, x, M));
    k.useV1 = false;
    sameBits(using(k, false, () => k.gemm(hf, x, M)), v1, "f32 token tiles vs v1");
    fig("f32_v1", false, () => { k.useV1 = true; k.gemm(hf, x, M, y); k.useV1 = false; });
    fig("f32", false, () => k.gemm(hf, x, M, y));
    if (relaxed) fig("f32_relaxed", true, () => k.gemm(hf, x, M, y));
  } finally {
    k.free(hf);
  }
  if (name === "lmhead") return;
  for (const bits of [8, 4] as const) {
    const h = k.loadPackedMatrix(packed(bits, N, K)), wa = `w${bits}a8`;
    try {
      const old = using(k, false, () => k.gemmQ(h, quantizeActivations(x, M, K, 8)));
      sameBits(using(k, false, () => k.gemmA(h, x, M, 8)), old, `${wa} gemmA vs gemmQ(quantizeActivations)`);
      if (relaxed) sameBits(using(k, true, () => k.gemmA(h, x, M, 8)), old, `${wa} relaxed vs plain`);
      if (relaxed) close(using(k, true, () => k.gemm(h, x, M)), using(k, false, () => k.gemm(h, x, M)), `w${bits} relaxed vs plain`);
      fig(`${wa}_old`, false, () => k.gemmQ(h, quantizeActivations(x, M, K, 8), y));
      fig(wa, false, () => k.gemmA(h, x, M, 8, y));
      if (relaxed && bits === 4) fig(`${wa}_relaxed`, true, () => k.gemmA(h, x, M, 8, y));
      fig(`w${bits}`, false, () => k.gemm(h, x, M, y));
      if (relaxed) fig(`w${bits}_relaxed`, true, () => k.gemm(h, x, M, y));
    } finally {
      k.free(h);
    }
  }
}

/** onnxruntime-web peers of one shape (one wasm thread), in `out`. */
async function ortFor(name: string, K: number, N: number, out: Record<string, number>, log: (s: string) => void): Promise<void> {
  const key = (s: string) => `gemm512_${name}_ort_${s}_cpu_gops`;
  out[key("f32")] = await timeCase(f32Case(M, K, N), M, K, N, "cpu");
  if (name !== "lmhead") {
    out[key("int8")] = await timeCase(matMulIntegerCase(M, K, N, true), M, K, N, "cpu");
    out[key("int8_dynamic")] = await timeCase(dynamicCase(M, K, N), M, K, N, "cpu");
    out[key("int4")] = Math.max(await timeCase(nbitsCase(M, K, N, GROUP, 0), M, K, N, "cpu"), await timeCase(nbitsCase(M, K, N, GROUP, 4), M, K, N, "cpu"));
  }
  log(`gemm512_${name}_ort f32 ${out[key("f32")]} int8 ${out[key("int8")]} int8_dynamic ${out[key("int8_dynamic")]} int4 ${out[key("int4")]}`);
}

/** The figures above; `ortPeers` false skips onnxruntime-web. */
export async function gemmShapeFigures(log: (s: string) => void = () => {}, ortPeers = true): Promise<Record<string, number>> {
  const k = await createGemmKernel();
  const out: Record<string, number> = { gemm512_tokens: M, gemm512_relaxed: k.relaxedAvailable ? 1 : 0 };
  ort.env.wasm.numThreads = 1;
  for (const [name, [K, N]] of Object.entries(SHAPES)) {
    log(`bench gemm-shapes: M=${M} K=${K} N=${N} (${name})`);
    oursFor(k, name, K, N, out, log);
    if (ortPeers) await ortFor(name, K, N, out, log);
  }
  const ratio = (a: string, b: string) => {
    if (typeof out[a] === "number" && typeof out[b] === "number") out[`${a.replace(/_cpu_gops$/, "")}_vs_${b.replace(/^gemm512_[a-z]+_/, "").replace(/_cpu_gops$/, "")}`] = +(out[a]! / out[b]!).toFixed(3);
  };
  for (const name of Object.keys(SHAPES)) {
    const f = (s: string) => `gemm512_${name}_${s}_cpu_gops`;
    ratio(f("f32"), f("f32_v1"));
    ratio(f("f32_relaxed"), f("f32_v1"));
    ratio(f("f32_relaxed"), f("f32"));
    ratio(f("f32"), f("ort_f32"));
    ratio(f("f32_relaxed"), f("ort_f32"));
    for (const wa of ["w8a8", "w4a8"]) ratio(f(wa), f(`${wa}_old`));
    ratio(f("w4a8_relaxed"), f("w4a8_old"));
    ratio(f("w8a8"), f("ort_int8"));
    ratio(f("w8a8"), f("ort_int8_dynamic"));
    ratio(f("w4a8"), f("ort_int4"));
    ratio(f("w4a8_relaxed"), f("ort_int4"));
    for (const w of ["w8", "w4", "w8_relaxed", "w4_relaxed"]) ratio(f(w), f("f32"));
    ratio(f("w8_relaxed"), f("f32_relaxed"));
    ratio(f("w4_relaxed"), f("f32_relaxed"));
    ratio(f("w4"), f("ort_int4"));
  }
  return out;
}

// `tsx bench/gemm-shapes.ts [--no-ort]` (or `node --experimental-wasm-relaxed-simd --import tsx bench/gemm-shapes.ts`): these figures alone
if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await gemmShapeFigures((s) => process.stderr.write(`${s}\n`), !process.argv.includes("--no-ort"));
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}
