/**
 * `npm run -s bench -- --json`: throughput of the statistics engine on 256 MiB of f32 and of bf16
 * synthetic weights viewed as [rows, 4096], in input GB/s (1e9 bytes/s), next to memcpy and a
 * plain-JS scalar loop. Figures (bench/README.md defines each):
 *   stats_<dtype>_gbps     pass 1 (moments, min/max/absmax, NaN/Inf counts, per-channel absmax on
 *                          both axes; bf16: the exact key histogram) on data already in kernel
 *                          memory, on the product's parallel path: StatsPool.load (deferPass1)
 *                          put each worker's rows into its own wasm memory, StatsPool.pass1 is
 *                          timed (all workers at once + the merge of their states)
 *   stats_<dtype>_1t_gbps  the same on one thread (StatsAccumulator with deferPass1, state() timed)
 *   engine_<dtype>_*       the whole computeTensorStats: chunks copied (or read) into wasm
 *                          memory, pass 1, the exact histogram/outlier sweep, channel profiles
 *   kernel_*               one kernel call loop on 32 MiB already in wasm memory, one thread
 *   int8_/int4_/f32_*_gops  GEMV/GEMM kernels (bench/gemm.ts) and, where bench/ort-matmul.ts exists,
 *                          the onnxruntime-web peers (ort_*) and their ratios (*_vs_ort_*)
 *   gemm512_*              GEMM on the evaluation's prefill shapes, M = 512 (bench/gemm-shapes.ts)
 *   eval_tokens_per_s_*    end-to-end evaluation windows of a generated Llama-shaped model (bench/eval.ts)
 *   eval110m_*, llamacpp110m_*  evaluation of a generated 110M Llama next to llama.cpp (bench/eval110m.ts;
 *                          opt-in: `--only eval110m`, or `--eval110m` with the rest; ~15 min on one free core)
 * `--only gemm` runs the GEMV/GEMM part alone (no 256 MiB stats data), `--only eval` the evaluation
 * throughput alone, `--only stats` the stats engine alone; `--no-llamacpp` skips the llama.cpp peer.
 * With --json, one flat JSON object goes to stdout as the last line; the human text to stderr.
 */
import { writeFileSync, openSync, writeSync, closeSync, rmSync, mkdtempSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSafetensors } from "../lib/formats/safetensors.ts";
import { openFileSource } from "../lib/formats/source-node.ts";
import type { TensorInfo, TensorSource } from "../lib/formats/types.ts";
import { computeTensorStats, StatsAccumulator } from "../lib/stats/index.ts";
import { createNodeStatsPool } from "../lib/stats/engine/pool-node.ts";
import type { StatsPool } from "../lib/stats/engine/pool.ts";
import { memorySource, memoryTensor } from "../lib/formats/memory-tensor-source.ts";
import { syntheticBf16, syntheticF32 } from "./data.ts";
import { EVAL_DEFINITIONS, evalFigures } from "./eval.ts";
import { eval110mFigures } from "./eval110m.ts";
import { gemmFigures } from "./gemm.ts";
import { gemmShapeFigures } from "./gemm-shapes.ts";
import { jsStats } from "./js-stats.ts";
import { kernelFigures } from "./kernels.ts";
import { validateKernels, validateKeyKernels } from "./validate.ts";

const JSON_OUT = process.argv.includes("--json");
/** `--only gemm` (GEMV/GEMM figures alone, skips the 256 MiB stats part), `--only eval` or `--only stats` */
const ONLY = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;
const MiB = 1 << 20;
const BYTES = 256 * MiB;
const COLS = 4096;
/** workers of the parallel figures: the bench machine's 2 cores */
const WORKERS = 2;
/** timed repetitions per figure; the best one counts (warm caches, wasm tiered up in every worker) */
const REPS = 5;
const log = (s: string) => process.stderr.write(`${s}\n`);
const gbps = (bytes: number, ms: number) => +(bytes / ms / 1e6).toFixed(3);

async function best(fn: () => unknown): Promise<number> {
  let t = Infinity;
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    await fn();
    t = Math.min(t, performance.now() - t0);
  }
  return t;
}

/** Best time of `timed` over REPS, each after an untimed `setup` (whose result it gets). */
async function bestAfter<T>(setup: () => Promise<T>, timed: (s: T) => unknown, teardown: (s: T) => void): Promise<number> {
  let t = Infinity;
  for (let i = 0; i < REPS; i++) {
    const s = await setup();
    const t0 = performance.now();
    await timed(s);
    t = Math.min(t, performance.now() - t0);
    teardown(s);
  }
  return t;
}

/** Pass 1 on one thread, data already in wasm memory: chunks retained untimed, state() timed. */
function pass1OneThread(source: TensorSource, t: TensorInfo): Promise<number> {
  return bestAfter(async () => {
    const acc = await StatsAccumulator.create(t, { deferPass1: true });
    for await (const chunk of source.readRaw(t)) acc.push(chunk);
    return acc;
  }, (acc) => acc.state(), (acc) => acc.release());
}

/** Pass 1 on the pool, data already in the workers' wasm memory: load untimed, pass1 (+ merge) timed. */
function pass1Pool(pool: StatsPool, source: TensorSource, t: TensorInfo): Promise<number> {
  return bestAfter(() => pool.load(source, t, { deferPass1: true }), (h) => pool.pass1(h), (h) => pool.release(h));
}

/** A safetensors file holding `tensors` (name -> dtype, shape, bytes), written without building it in memory. */
function writeSafetensors(path: string, tensors: Array<[string, string, number[], Uint8Array]>): void {
  const header: Record<string, unknown> = {};
  let off = 0;
  for (const [name, dtype, shape, bytes] of tensors) {
    header[name] = { dtype, shape, data_offsets: [off, off + bytes.length] };
    off += bytes.length;
  }
  const json = Buffer.from(JSON.stringify(header).padEnd(1016)); // data starts 8 + 1016 = 1024-aligned
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  const fd = openSync(path, "w");
  writeSync(fd, len);
  writeSync(fd, json);
  for (const [, , , bytes] of tensors) writeSync(fd, bytes);
  closeSync(fd);
}

/** The stats-engine figures above (256 MiB per dtype). */
async function statsFigures(out: Record<string, number | string>): Promise<void> {
  log(`bench: generating 256 MiB f32 [${BYTES / 4 / COLS}, ${COLS}] and 256 MiB bf16 [${BYTES / 2 / COLS}, ${COLS}]`);
  const f32 = syntheticF32(BYTES / 4 / COLS, COLS);
  const bf16 = syntheticBf16(f32, BYTES / 2);
  const f32Bytes = new Uint8Array(f32.buffer), bf16Bytes = new Uint8Array(bf16.buffer);
  const tf = memoryTensor("f32", "F32", [BYTES / 4 / COLS, COLS], BYTES);
  const tb = memoryTensor("bf16", "BF16", [BYTES / 2 / COLS, COLS], BYTES);
  const source = memorySource(new Map([["f32", f32Bytes], ["bf16", bf16Bytes]]), [tf, tb]);

  log("bench: validating SIMD kernels against their scalar twins");
  await validateKernels("F32", f32Bytes.subarray(0, 8 * MiB), (8 * MiB) / 4 / COLS, COLS);
  await validateKernels("BF16", bf16Bytes.subarray(0, 8 * MiB), (8 * MiB) / 2 / COLS, COLS);
  await validateKeyKernels("BF16", bf16Bytes.subarray(0, 8 * MiB), (8 * MiB) / 2 / COLS, COLS);
  const check = await computeTensorStats(source, tf);
  const ref = jsStats(f32);
  // f32 block sums: std within ~(256 / 8 + 7) 2^-24 (tests/stats/reference.ts F32_BLOCK_SUM_REL_ERROR)
  if (Math.abs(check.std! - ref.std) > 3e-6 * ref.std) throw new Error(`bench: engine std ${check.std} vs JS ${ref.std}`);

  const dir = mkdtempSync(join(tmpdir(), "quantlens-bench-"));
  const path = join(dir, "bench.safetensors");
  writeSafetensors(path, [["f32", "F32", tf.shape, f32Bytes], ["bf16", "BF16", tb.shape, bf16Bytes]]);
  const file = await openSafetensors(await openFileSource(path));
  const [ff, fb] = ["f32", "bf16"].map((n) => file.tensors.find((t) => t.name === n)!);

  const dst = new Uint8Array(BYTES).fill(1);
  out.memcpy_gbps = gbps(2 * BYTES, await best(() => dst.set(f32Bytes))); // bytes read + written
  out.js_stats_f32_gbps = gbps(BYTES, await best(() => jsStats(f32)));
  const pool = createNodeStatsPool(WORKERS);
  try {
    log("bench: pass 1 on data in kernel memory (pool, then one thread)");
    out.stats_f32_gbps = gbps(BYTES, await pass1Pool(pool, source, tf));
    out.stats_bf16_gbps = gbps(BYTES, await pass1Pool(pool, source, tb));
    out.stats_f32_1t_gbps = gbps(BYTES, await pass1OneThread(source, tf));
    out.stats_bf16_1t_gbps = gbps(BYTES, await pass1OneThread(source, tb));
    log("bench: whole computeTensorStats (memory source, file source; pool, one thread)");
    out.engine_f32_gbps = gbps(BYTES, await best(() => pool.computeTensorStats(source, tf)));
    out.engine_bf16_gbps = gbps(BYTES, await best(() => pool.computeTensorStats(source, tb)));
    out.engine_f32_file_gbps = gbps(BYTES, await best(() => pool.computeTensorStats(file, ff!)));
    out.engine_bf16_file_gbps = gbps(BYTES, await best(() => pool.computeTensorStats(file, fb!)));
    out.engine_f32_1t_gbps = gbps(BYTES, await best(() => computeTensorStats(source, tf)));
    out.engine_bf16_1t_gbps = gbps(BYTES, await best(() => computeTensorStats(source, tb)));
    out.engine_f32_file_1t_gbps = gbps(BYTES, await best(() => computeTensorStats(file, ff!)));
    out.engine_f32_scalar_1t_gbps = gbps(BYTES, await best(() => computeTensorStats(source, tf, { simd: false })));
  } finally {
    await pool.close();
    await file.close();
    rmSync(dir, { recursive: true, force: true });
  }
  out.workers = WORKERS;
  Object.assign(out, await kernelFigures(f32Bytes, bf16Bytes, COLS));
  const ratio = (a: string, b: string, digits = 3) => +((out[a] as number) / (out[b] as number)).toFixed(digits);
  out.stats_f32_vs_memcpy = ratio("stats_f32_gbps", "memcpy_gbps");
  out.stats_f32_vs_js = ratio("stats_f32_gbps", "js_stats_f32_gbps", 2);
  out.engine_f32_vs_memcpy = ratio("engine_f32_gbps", "memcpy_gbps");
  out.engine_f32_vs_js = ratio("engine_f32_gbps", "js_stats_f32_gbps", 2);
  out.definitions = "stats_*: pass 1 (moments, extent, NaN/Inf, channel absmax both axes; bf16 key histogram) on data in kernel memory, "
    + `${WORKERS} workers (pool) or _1t one thread; engine_*: whole computeTensorStats incl. copy/read in and the exact sweep; `
    + "kernel_*: one kernel, one thread, 32 MiB in wasm memory; GB/s = 1e9 input bytes/s (memcpy: read + written)";
}

const out: Record<string, number | string> = {};
if (!ONLY || ONLY === "stats") await statsFigures(out);
if (!ONLY || ONLY === "gemm") {
  log("bench: integer and f32 GEMV/GEMM kernels (bench/gemm.ts)");
  Object.assign(out, await gemmFigures(log));
  out.gemm_definitions = "GOPS = 2 M N K / s / 1e9, one thread, one typed call of lib/kernels/gemm-kernel.ts (copy-in, "
    + "activation prep, kernel, copy-out), weights in kernel memory; gemv M=1 K=N=4096, gemm M=128 K=N=2048; asymmetric "
    + `weights, int8 per output channel (int8_gemm_g128: groups of 128), int4 in groups of ${out.int4_group_size}; `
    + "activations 8-bit per token; *_vs_ort_*: ratio to bench/ort-matmul.ts";
  // onnxruntime-web peer figures, from bench/ort-matmul.ts where that file exists (written separately)
  const ortModule = "./ort-matmul.ts";
  if (existsSync(new URL(ortModule, import.meta.url))) {
    log("bench: onnxruntime-web matmul figures (bench/ort-matmul.ts)");
    const { ortMatmulFigures } = (await import(ortModule)) as { ortMatmulFigures(log: (s: string) => void): Promise<Record<string, number>> };
    Object.assign(out, await ortMatmulFigures(log));
    // ours again after the ort figures, best of the two passes: both sides of each ratio then see the
    // machine's load of the same minutes (the 2-core bench machine is shared)
    log("bench: GEMV/GEMM kernels again (best of the passes before and after the ort figures)");
    for (const [key, v] of Object.entries(await gemmFigures(log))) out[key] = Math.max(out[key] as number, v);
    const PEERS: Record<string, [string, string]> = {
      int8_gemv_vs_ort_f32: ["int8_gemv_gops", "ort_f32_gemv_gops"],
      int8_gemv_vs_ort_int8: ["int8_gemv_gops", "ort_int8_gemv_gops"],
      int8_gemm_vs_ort_int8: ["int8_gemm_gops", "ort_int8_gemm_gops"],
      int4_gemv_vs_ort_int4: ["int4_gemv_gops", "ort_int4_gemv_gops"],
    };
    for (const [key, [a, b]] of Object.entries(PEERS)) {
      if (typeof out[a] === "number" && typeof out[b] === "number") out[key] = +((out[a] as number) / (out[b] as number)).toFixed(3);
    }
  }
}
if (!ONLY || ONLY === "gemm") {
  log("bench: GEMM on the evaluation's prefill shapes, new kernels next to the old paths and ort (bench/gemm-shapes.ts)");
  Object.assign(out, await gemmShapeFigures(log));
}
if (!ONLY || ONLY === "eval") {
  log("bench: end-to-end evaluation throughput (bench/eval.ts)");
  Object.assign(out, await evalFigures(log));
  out.eval_definitions = EVAL_DEFINITIONS;
}
if (ONLY === "eval110m" || (!ONLY && process.argv.includes("--eval110m"))) {
  log("bench: evaluation of a generated 110M Llama, and llama.cpp on the same model (bench/eval110m.ts)");
  Object.assign(out, await eval110mFigures(log, { llamacpp: !process.argv.includes("--no-llamacpp") }));
}
out.node = process.version;

if (JSON_OUT) process.stdout.write(`${JSON.stringify(out)}\n`);
else for (const [k, v] of Object.entries(out)) log(`${k.padEnd(30)} ${v}`);
