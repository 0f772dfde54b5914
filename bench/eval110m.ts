/**
 * Evaluation at a realistic size (issue 14): the generated 110M Llama-shaped model of model110m.ts,
 * N_TOKENS tokens in windows of WINDOW_110M, each measurement in its own child process
 * (eval110m-run.ts; llama.cpp: llamacpp/run.mjs) so each peak RSS is its own. Figures:
 *   eval110m_tokens_per_s_{fp32,w8a8,w4a8,w8,w4}  that engine alone (built as runEvalSession builds
 *                            it, RTN g128 on the wasm kernels), forward + f32 lm_head, every row consumed
 *   eval110m_relaxed_tokens_per_s_*  the same engines with Node's --experimental-wasm-relaxed-simd (the
 *                            relaxed kernels: W4A8's tiles, f32 relaxed_madd; Chromium always has them)
 *   eval110m_9spec_seconds   the nine specs FP32,W8,W4,W3,W8A8,W4A8,W4A4,KV8,KV4 as `quantlens eval`
 *                            runs them (load, quantize, evaluate): window-major (one FP32 pass per window
 *                            for all specs) on as many threads as there are cores (its --threads default);
 *                            _spec_major: the old path (FP32 re-run per spec, one thread, as before issue
 *                            14), same run; eval110m_9spec_new_vs_old: their ratio (target <= 0.35);
 *                            _1t_vs_old: window-major on one thread over the old path;
 *                            eval110m_9spec_max_diff: largest |difference| of any metric between the two
 *   eval110m_peak_rss_mb_fp32  peak RSS of runEvalSession with FP32 alone; _vs_weights: over the f32 weights;
 *                            _vs_weights_plus_window: over the weights plus one window's activations
 *                            (windowActivationBytes: issue 14's bound, 1.3)
 *   eval110m_{fp32_session,9spec}_seconds_{1t,2t}, *_2t_speedup, eval110m_peak_rss_mb_fp32_{1t,2t}: one thread
 *                            (in-process session) and two (runThreadedSession, windows split, a model per thread);
 *                            eval110m_9spec_2t_max_diff: the two runs' largest metric difference (0: merged exactly)
 *   llamacpp110m_tokens_per_s_{f32,q8_0,q4_0}  node-llama-cpp 3.21.1 (bench/llamacpp, installed on
 *                            demand) on the same model as GGUF (gguf110m.ts), one thread, logits at every
 *                            row; eval110m_*_vs_llamacpp_*: ours / llama.cpp's (W8A8, W8 vs Q8_0; W4A8, W4 vs Q4_0)
 * *_cpu_*: the same per CPU second of the measuring process (all its threads): the bench machine is
 * shared, and wall time also measures the other processes. One thread except the _2t figures
 * (llama.cpp is given 1 thread).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { windowActivationBytes } from "../lib/eval/memory-plan.ts";
import { llamaConfig } from "../lib/model/config.ts";
import { LOGIT_ROWS } from "../lib/model/llama.ts";
import { documentWindows } from "../lib/model/protocol.ts";
import { writeGguf110m, type GgufType } from "./gguf110m.ts";
import { M110, model110mSource, N_TOKENS, tensorShapes, tokenIds, WINDOW_110M } from "./model110m.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
const LLAMACPP = join(HERE, "llamacpp");
export const NINE_SPECS = "FP32,W8,W4,W3,W8A8,W4A8,W4A4,KV8,KV4";
const ENGINES = [["fp32", "FP32"], ["w8a8", "W8A8"], ["w4a8", "W4A8"], ["w8", "W8"], ["w4", "W4"]] as const;
const PEERS = [["f32", "F32"], ["q8_0", "Q8_0"], ["q4_0", "Q4_0"]] as const;
const RATIOS: Array<[string, string, string]> = [
  ["eval110m_fp32_vs_llamacpp_f32", "eval110m_tokens_per_s_fp32", "llamacpp110m_tokens_per_s_f32"],
  ["eval110m_w8a8_vs_llamacpp_q8_0", "eval110m_tokens_per_s_w8a8", "llamacpp110m_tokens_per_s_q8_0"],
  ["eval110m_w8_vs_llamacpp_q8_0", "eval110m_tokens_per_s_w8", "llamacpp110m_tokens_per_s_q8_0"],
  ["eval110m_w4a8_vs_llamacpp_q4_0", "eval110m_tokens_per_s_w4a8", "llamacpp110m_tokens_per_s_q4_0"],
  ["eval110m_w4_vs_llamacpp_q4_0", "eval110m_tokens_per_s_w4", "llamacpp110m_tokens_per_s_q4_0"],
];
// the same engines on Node's relaxed SIMD (--experimental-wasm-relaxed-simd; Chromium always has it)
RATIOS.push(...RATIOS.map(([k, a, b]): [string, string, string] => [k.replace("eval110m_", "eval110m_relaxed_"), a.replace("eval110m_", "eval110m_relaxed_"), b]));

/** Runs a child that prints one JSON line; throws with its stderr when it fails. */
function child(args: string[], cwd = join(HERE, "..")): Record<string, unknown> {
  const r = spawnSync(process.execPath, args, { cwd, encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`bench eval110m: ${args.join(" ")} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
}
const ours = (...args: string[]) => child(["--import", "tsx", join(HERE, "eval110m-run.ts"), ...args]);
const oursRelaxed = (...args: string[]) => child(["--experimental-wasm-relaxed-simd", "--import", "tsx", join(HERE, "eval110m-run.ts"), ...args]);

/** node-llama-cpp in bench/llamacpp (its own lock; CPU build only), installed once; null when it cannot be. */
function llamacppReady(log: (s: string) => void): string | null {
  if (existsSync(join(LLAMACPP, "node_modules", "node-llama-cpp"))) return null;
  log("bench eval110m: installing node-llama-cpp 3.21.1 in bench/llamacpp (npm ci --omit=optional: CPU build only)");
  try {
    execFileSync("npm", ["ci", "--omit=optional", "--no-audit", "--no-fund"], { cwd: LLAMACPP, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, NODE_LLAMA_CPP_SKIP_DOWNLOAD: "true" } });
    return null;
  } catch (e) {
    return `npm ci in bench/llamacpp failed: ${String((e as { stderr?: Buffer }).stderr ?? e).slice(-300)}`;
  }
}

/** Largest |a - b| over the metrics of every spec of two result maps. */
function maxDiff(a: Record<string, Record<string, number | null>>, b: Record<string, Record<string, number | null>>): number {
  let d = 0;
  for (const [spec, r] of Object.entries(a)) {
    for (const [k, v] of Object.entries(r)) d = Math.max(d, Math.abs((v ?? 0) - (b[spec]?.[k] ?? NaN)));
  }
  return d;
}

export async function eval110mFigures(log: (s: string) => void, opts: { llamacpp?: boolean } = {}): Promise<Record<string, number | string>> {
  const out: Record<string, number | string> = {};
  const t0 = performance.now();
  const since = () => `${((performance.now() - t0) / 1e3).toFixed(0)} s`;
  for (const [key, spec] of ENGINES) {
    const r = ours("engine", spec);
    out[`eval110m_tokens_per_s_${key}`] = +(r.tokens_per_s as number).toFixed(1);
    out[`eval110m_cpu_tokens_per_s_${key}`] = +(r.tokens_per_cpu_s as number).toFixed(1);
    log(`bench eval110m: ${spec} ${out[`eval110m_tokens_per_s_${key}`]} tokens/s (built in ${r.build_s} s, peak RSS ${r.peak_rss_mb} MB; ${since()})`);
  }
  for (const [key, spec] of ENGINES) {
    const r = oursRelaxed("engine", spec);
    out[`eval110m_relaxed_tokens_per_s_${key}`] = +(r.tokens_per_s as number).toFixed(1);
    out[`eval110m_relaxed_cpu_tokens_per_s_${key}`] = +(r.tokens_per_cpu_s as number).toFixed(1);
    log(`bench eval110m: ${spec} on relaxed SIMD ${out[`eval110m_relaxed_tokens_per_s_${key}`]} tokens/s (${since()})`);
  }
  const fp = ours("session", "window-major", "FP32");
  const weightsMb = tensorShapes().reduce((s, [, sh]) => s + sh.reduce((a, b) => a * b, 1), 0) * 4 / 2 ** 20;
  out.eval110m_peak_rss_mb_fp32 = fp.peak_rss_mb as number;
  out.eval110m_f32_weights_mb = +weightsMb.toFixed(1);
  out.eval110m_peak_rss_fp32_vs_weights = +((fp.peak_rss_mb as number) / weightsMb).toFixed(3);
  // issue 14's bound: the f32 weights plus the activations of one window (KV cache, forward buffers, a logits block)
  const windowMb = windowActivationBytes(await llamaConfig(model110mSource()), WINDOW_110M, LOGIT_ROWS) / 2 ** 20;
  out.eval110m_window_activations_mb = +windowMb.toFixed(1);
  out.eval110m_peak_rss_fp32_vs_weights_plus_window = +((fp.peak_rss_mb as number) / (weightsMb + windowMb)).toFixed(3);
  log(`bench eval110m: FP32 session peak RSS ${fp.peak_rss_mb} MB for ${weightsMb.toFixed(0)} MB of f32 weights (${since()})`);
  const nu = ours("session", "window-major", NINE_SPECS);
  log(`bench eval110m: 9 specs window-major ${nu.seconds} s (${since()})`);
  const old = ours("session", "spec-major", NINE_SPECS);
  log(`bench eval110m: 9 specs spec-major (old path) ${old.seconds} s (${since()})`);
  out.eval110m_9spec_seconds_spec_major = old.seconds as number;
  out.eval110m_9spec_1t_vs_old = +((nu.seconds as number) / (old.seconds as number)).toFixed(3);
  out.eval110m_9spec_cpu_seconds = nu.cpu_s as number;
  out.eval110m_9spec_cpu_seconds_spec_major = old.cpu_s as number;
  out.eval110m_9spec_cpu_new_vs_old = +((nu.cpu_s as number) / (old.cpu_s as number)).toFixed(3);
  out.eval110m_9spec_max_diff = maxDiff(nu.results as never, old.results as never);
  out.eval110m_9spec_peak_rss_mb = nu.peak_rss_mb as number;
  out.eval110m_9spec_peak_rss_mb_spec_major = old.peak_rss_mb as number;
  // 1 and 2 threads (`quantlens eval --threads`): the 1-thread figures are the session ones above
  const fp2 = ours("threads", "2", "FP32"), nu2 = ours("threads", "2", NINE_SPECS);
  log(`bench eval110m: 2 threads: FP32 session ${fp2.seconds} s (1 thread ${fp.seconds} s), 9 specs ${nu2.seconds} s (${since()})`);
  out.eval110m_fp32_session_seconds_1t = fp.seconds as number;
  out.eval110m_fp32_session_seconds_2t = fp2.seconds as number;
  out.eval110m_fp32_2t_speedup = +((fp.seconds as number) / (fp2.seconds as number)).toFixed(3);
  out.eval110m_peak_rss_mb_fp32_1t = fp.peak_rss_mb as number;
  out.eval110m_peak_rss_mb_fp32_2t = fp2.peak_rss_mb as number;
  out.eval110m_9spec_seconds_1t = nu.seconds as number;
  out.eval110m_9spec_seconds_2t = nu2.seconds as number;
  out.eval110m_9spec_2t_speedup = +((nu.seconds as number) / (nu2.seconds as number)).toFixed(3);
  out.eval110m_9spec_cpu_seconds_2t = nu2.cpu_s as number;
  out.eval110m_9spec_2t_max_diff = maxDiff(nu2.results as never, nu.results as never);
  // as `quantlens eval` runs it: --threads defaults to the cores there are (1 or 2 here); the old
  // path (before issue 14) ran spec-major on one thread
  const cores = availableParallelism(), asCli = cores >= 2 ? nu2 : nu;
  out.eval110m_cores = cores;
  out.eval110m_9spec_seconds = asCli.seconds as number;
  out.eval110m_9spec_new_vs_old = +((asCli.seconds as number) / (old.seconds as number)).toFixed(3);
  if (opts.llamacpp !== false) {
    const why = llamacppReady(log);
    if (why) {
      log(`bench eval110m: llama.cpp figures skipped: ${why}`);
      out.llamacpp110m_skipped = why;
    } else {
      const dir = mkdtempSync(join(tmpdir(), "quantlens-bench-gguf-"));
      try {
        const ids = join(dir, "ids.json");
        writeFileSync(ids, JSON.stringify({ window: WINDOW_110M, windows: documentWindows(tokenIds(), WINDOW_110M).map((w) => Array.from(w.input)) }));
        for (const [key, type] of PEERS) {
          const path = join(dir, `m-${key}.gguf`);
          writeGguf110m(path, type as GgufType);
          const r = child([join(LLAMACPP, "run.mjs"), path, "1", ids], LLAMACPP);
          rmSync(path);
          out[`llamacpp110m_tokens_per_s_${key}`] = +(r.tokens_per_s as number).toFixed(1);
          out[`llamacpp110m_cpu_tokens_per_s_${key}`] = +(r.tokens_per_cpu_s as number).toFixed(1);
          out[`llamacpp110m_peak_rss_mb_${key}`] = r.peak_rss_mb as number;
          log(`bench eval110m: llama.cpp ${type} ${out[`llamacpp110m_tokens_per_s_${key}`]} tokens/s, peak RSS ${r.peak_rss_mb} MB (${since()})`);
        }
      } catch (e) {
        log(`bench eval110m: llama.cpp figures skipped: ${(e as Error).message}`);
        out.llamacpp110m_skipped = (e as Error).message.slice(0, 300);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      for (const [k, a, b] of RATIOS) {
        if (typeof out[b] !== "number") continue;
        out[k] = +((out[a] as number) / (out[b] as number)).toFixed(3);
        const [ca, cb] = [a, b].map((x) => x.replace("tokens_per_s", "cpu_tokens_per_s"));
        out[k.replace("_vs_", "_cpu_vs_")] = +((out[ca!] as number) / (out[cb!] as number)).toFixed(3);
      }
    }
  }
  out.eval110m_tokens = N_TOKENS;
  out.eval110m_window = WINDOW_110M;
  out.eval110m_definitions = `generated Llama (dim ${M110.dim}, ${M110.layers} layers, ${M110.heads} heads, hidden ${M110.hidden}, vocab ${M110.vocab}, tied lm_head), `
    + `${N_TOKENS} tokens in windows of ${WINDOW_110M}, one thread; tokens_per_s: one engine alone; 9spec_seconds: runEvalSession(${NINE_SPECS}) `
    + "window-major (spec_major: the old path); peak_rss: process maxRSS of a child running that measurement alone; llamacpp110m_*: node-llama-cpp 3.21.1 CPU, "
    + "1 thread, logits at every row, F32 token embedding (= lm_head) in every file";
  return out;
}
