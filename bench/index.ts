/**
 * `npm run bench [-- --json]`: throughput of the statistics engine on 256 MiB of f32 and of bf16
 * synthetic weights, in input GB/s (1e9 bytes/s), next to memcpy and a plain-JS scalar loop.
 * stats_* figures run computeTensorStats end to end from an in-memory TensorSource: the copy into
 * wasm memory, pass 1, the exact pass 2 (histogram, outliers) and the channel profiles. With
 * --json, one flat JSON object goes to stdout and the human text to stderr.
 */
import { availableParallelism } from "node:os";
import { computeTensorStats } from "../lib/stats/index.ts";
import { createNodeStatsPool } from "../lib/stats/pool-node.ts";
import { memorySource, memoryTensor } from "../tests/stats/memory-source.ts";
import { syntheticBf16, syntheticF32 } from "./data.ts";
import { jsStats } from "./js-stats.ts";
import { kernelFigures } from "./kernels.ts";
import { validateKernels, validateKeyKernels } from "./validate.ts";

const JSON_OUT = process.argv.includes("--json");
const MiB = 1 << 20;
const BYTES = 256 * MiB;
const COLS = 4096;
/** timed repetitions per figure; the best one counts (warm caches, wasm tiered up) */
const REPS = 3;
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
if (Math.abs(check.std! - ref.std) > 1e-9 * ref.std) throw new Error(`bench: engine std ${check.std} vs JS ${ref.std}`);

const out: Record<string, number | string> = {};
const dst = new Uint8Array(BYTES).fill(1);
out.memcpy_gbps = gbps(2 * BYTES, await best(() => dst.set(f32Bytes))); // bytes read + written
out.js_stats_f32_gbps = gbps(BYTES, await best(() => jsStats(f32)));
out.stats_f32_gbps = gbps(BYTES, await best(() => computeTensorStats(source, tf)));
out.stats_bf16_gbps = gbps(BYTES, await best(() => computeTensorStats(source, tb)));
out.stats_f32_scalar_gbps = gbps(BYTES, await best(() => computeTensorStats(source, tf, { simd: false })));
const workers = availableParallelism();
const pool = createNodeStatsPool(workers);
out.stats_f32_workers_gbps = gbps(BYTES, await best(() => pool.computeTensorStats(source, tf)));
out.stats_bf16_workers_gbps = gbps(BYTES, await best(() => pool.computeTensorStats(source, tb)));
out.workers = workers;
await pool.close();
Object.assign(out, await kernelFigures(f32Bytes, bf16Bytes, COLS));
out.stats_f32_vs_memcpy = +((out.stats_f32_gbps as number) / (out.memcpy_gbps as number)).toFixed(3);
out.stats_f32_vs_js = +((out.stats_f32_gbps as number) / (out.js_stats_f32_gbps as number)).toFixed(2);
out.stats_f32_workers_vs_memcpy = +((out.stats_f32_workers_gbps as number) / (out.memcpy_gbps as number)).toFixed(3);
out.stats_f32_workers_vs_js = +((out.stats_f32_workers_gbps as number) / (out.js_stats_f32_gbps as number)).toFixed(2);
out.node = process.version;

if (JSON_OUT) process.stdout.write(`${JSON.stringify(out)}\n`);
else for (const [k, v] of Object.entries(out)) log(`${k.padEnd(30)} ${v}`);
