/**
 * One measurement of the eval110m bench in its own process (so peak RSS is that measurement's
 * alone): `node --import tsx bench/eval110m-run.ts <mode> [arg]`, one JSON line on stdout.
 *   engine <SPEC>        build the engine of SPEC (FP32, W8A8, W4A8, W8, W4) as runEvalSession
 *                        builds it (loadLlama, quantizeModel RTN on the wasm kernels), then time
 *                        the N_TOKENS tokens in windows of WINDOW_110M: { tokens_per_s, build_s }
 *   session <ORDER> <SPECS>  runEvalSession over the generated text, as `quantlens eval` runs it
 *                        (load, quantize, evaluate every spec): { seconds, results }; ORDER is
 *                        "window-major" (one FP32 pass for all specs) or "spec-major" (the old path)
 *   threads <N> <SPECS>  the same session split across N worker threads by windows, as
 *                        `quantlens eval --threads N` runs it (eval110m-job.ts): { seconds, results }
 * Every mode reports peak_rss_mb (process.resourceUsage().maxRSS) and cpu_s (CPU seconds of the whole
 * process, all threads); engine also tokens_per_cpu_s (the timed windows per CPU second).
 */
import { runEvalSession } from "../lib/eval/session.ts";
import { runThreadedSession } from "../lib/cli/eval-threads.ts";
import { collectGarbage } from "../lib/cli/gc.ts";
import { MAX_GEMM_MEMORY_BYTES } from "../lib/kernels/gemm-kernel.ts";
import type { LogitsEngine } from "../lib/model/engine.ts";
import { kernelLinears } from "../lib/model/kernel-linear.ts";
import { buildModel, llamaEngine, loadLlama } from "../lib/model/llama.ts";
import { documentWindows } from "../lib/model/protocol.ts";
import { quantizeModel } from "../lib/model/quantize.ts";
import { parseSpec, parseSpecList } from "../lib/quant/spec.ts";
import { idsTokenizer, model110mSource, tokenIds, tokenText, WINDOW_110M } from "./model110m.ts";

const [mode, arg, list] = process.argv.slice(2);
/** CPU seconds of this process, every thread (the machine is shared: wall time also measures the others) */
const cpuS = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const rssMb = () => +(process.resourceUsage().maxRSS / 1024).toFixed(1);
const out: Record<string, unknown> = {};

/** Runs the windows of the bench's tokens through `e`, every row consumed; returns seconds. */
async function timeWindows(e: LogitsEngine): Promise<number> {
  const windows = documentWindows(tokenIds(), WINDOW_110M);
  const t0 = performance.now();
  let sum = 0;
  for (const w of windows) for await (const row of e.window(w.input)) sum += row[0]!;
  if (!Number.isFinite(sum)) throw new Error(`eval110m: ${e.name} produced non-finite logits`);
  return (performance.now() - t0) / 1e3;
}

if (mode === "engine") {
  const t0 = performance.now();
  const k = await kernelLinears();
  let engine: LogitsEngine;
  {
    const { config, weights } = await loadLlama(model110mSource());
    const spec = parseSpec(arg!);
    engine = spec.float
      ? llamaEngine(buildModel(config, weights, k.f32), { name: spec.text })
      : (() => { const q = quantizeModel(config, weights, spec, { f32: k.f32, packed: k.packed }); return llamaEngine(q.model, { name: spec.text, kv: q.kv }); })();
  }
  out.build_s = +((performance.now() - t0) / 1e3).toFixed(2);
  const c0 = cpuS();
  const s = await timeWindows(engine);
  out.tokens_per_s = +(tokenIds().length - 1) / s;
  out.tokens_per_cpu_s = +(tokenIds().length - 1) / (cpuS() - c0);
  await engine.close();
  await k.close();
} else if (mode === "session") {
  const k = await kernelLinears();
  const t0 = performance.now();
  const results = await runEvalSession({
    source: model110mSource(), tokenizer: idsTokenizer(), text: tokenText(), specs: parseSpecList(list!),
    f32: k.f32, packed: k.packed, context: WINDOW_110M, order: arg as "window-major" | "spec-major", collectGarbage, memoryLimit: MAX_GEMM_MEMORY_BYTES,
  });
  out.seconds = +((performance.now() - t0) / 1e3).toFixed(2);
  out.results = Object.fromEntries(results);
  await k.close();
} else if (mode === "threads") {
  const t0 = performance.now();
  const results = await runThreadedSession({
    threads: Number(arg), specs: parseSpecList(list!), job: { module: new URL("./eval110m-job.ts", import.meta.url).href, args: { specs: list! } },
  });
  out.seconds = +((performance.now() - t0) / 1e3).toFixed(2);
  out.results = Object.fromEntries(results);
} else {
  throw new Error(`eval110m-run: unknown mode ${mode}`);
}
out.peak_rss_mb = rssMb();
out.cpu_s = +cpuS().toFixed(2);
process.stdout.write(`${JSON.stringify(out)}\n`);
