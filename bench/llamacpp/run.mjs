/**
 * llama.cpp peer of bench/eval110m-run.ts (node-llama-cpp 3.21.1, its prebuilt CPU build; no GPU):
 * `node bench/llamacpp/run.mjs <model.gguf> <threads> <ids.json>`, one JSON line on stdout.
 * The same protocol as quantlens's evaluation: each window of `window` tokens (the ids file's
 * windows) runs from an empty cache (clearHistory) as one batch with logits at every position
 * (controlledEvaluate, each token asking for the next token's confidence, which needs its logits
 * row), so lm_head runs for every row as it does in quantlens. tokens_per_s = tokens / seconds of
 * all windows, after one warm-up window. Run in its own process: peak_rss_mb is llama.cpp's alone.
 */
import { readFileSync } from "node:fs";
import { getLlama, LlamaLogLevel } from "node-llama-cpp";

const [path, threadsArg, idsPath] = process.argv.slice(2);
const threads = Number(threadsArg);
const { windows, window } = JSON.parse(readFileSync(idsPath, "utf8"));
const llama = await getLlama({ gpu: false, build: "never", usePrebuiltBinaries: true, logLevel: LlamaLogLevel.error, maxThreads: threads });
const model = await llama.loadModel({ modelPath: path, useMmap: false, gpuLayers: 0 });
const context = await model.createContext({ contextSize: window, batchSize: window, threads: { ideal: threads, min: threads }, flashAttention: false });
const seq = context.getSequence();

async function run(ids) {
  await seq.clearHistory();
  const out = await seq.controlledEvaluate(ids.map((t) => [t, { generateNext: { confidence: true } }]));
  if (out.length !== ids.length || out.some((o) => o === undefined)) throw new Error("llamacpp: a row without output");
}

await run(windows[0].slice(0, 64));
const t0 = performance.now(), c0 = process.cpuUsage();
let tokens = 0;
for (const w of windows) { await run(w); tokens += w.length; }
const seconds = (performance.now() - t0) / 1e3;
const cu = process.cpuUsage(c0), cpu = (cu.user + cu.system) / 1e6; // every thread of the process
const peak = process.resourceUsage().maxRSS / 1024;
await context.dispose();
await model.dispose();
process.stdout.write(`${JSON.stringify({ tokens_per_s: tokens / seconds, tokens_per_cpu_s: tokens / cpu, seconds, threads, peak_rss_mb: +peak.toFixed(1), build: llama.buildType, cpu: llama.cpuMathCores ?? null })}\n`);
