/**
 * End-to-end evaluation throughput, one thread: tokens per second of the evaluation path, i.e. one
 * window of WINDOW tokens run from an empty cache by `llamaEngine(model).window(tokens)` (embedding,
 * the whole batched forward pass with causal attention over an f32 KV cache, final norm, lm_head
 * logits LOGIT_ROWS rows at a time), every yielded row consumed. Model: Llama-shaped, generated in
 * memory from a seed (CONFIG: dim 1024, 4 layers, 16 heads of 64, 16 KV heads i.e. no GQA, hidden
 * 2816, vocab 4096, context 512; weights ~N(0, 0.02^2) from mulberry32, norms 1, untied lm_head).
 * Figures:
 *   eval_tokens_per_s_fp32   every linear an f32 kernel linear (kernelLinears().f32)
 *   eval_tokens_per_s_w8a8   spec W8A8 (RTN, g128 asymmetric weights, 8-bit per-token activations)
 *                            on the integer kernels: quantizeModel with the packed factory (gemmQ)
 *   eval_tokens_per_s_w4     spec W4 (RTN g128, weight-only) on the integer kernels (weight-only gemm)
 *   eval_w8a8_vs_fp32, eval_w4_vs_fp32   ratios of the figures above (same run, reps interleaved)
 *   eval_cpu_tokens_per_s_*, eval_cpu_w8a8_vs_fp32   the same windows per CPU second of this process
 *                            (best of the same reps): on a loaded machine wall time mostly measures
 *                            the other processes; CPU time still moves with them (shared caches, SMT)
 *   eval_check_{w8a8,w4}_{linear,logits}_err   the validation's measured errors (below)
 *   eval_window_tokens       WINDOW
 * lm_head stays f32 in every model (quantizeModel never quantizes it). Each figure: WINDOW tokens /
 * best time of REPS windows after one warm-up window; the three models' reps run interleaved so
 * they see the same machine load.
 * Validation before timing, for each integer model on the first CHECK_ROWS tokens of the window
 * (errors: max |got - want| per row over max |want| of that row, worst row):
 *   per linear (the check that the integer path computes the right function): every linear of the
 *     integer model is run beside its pseudo-quantized twin (quantizeModel without `packed`: dequantized
 *     weights on f32 kernel linears, activations pseudo-quantized: the spec's numerical definition) on
 *     the same input, the integer model's own activations; within LINEAR_TOL (eval_check_*_linear_err)
 *   end to end: the integer model's logits against the free-running pseudo-quantized model's
 *     (eval_check_*_logits_err). Weight-only (W4): within LOGITS_TOL (no activation rounding, so only
 *     float summation order differs). With activation quantization (W8A8) the two paths' f32 sums
 *     differ in the last bit, which moves an activation across a rounding boundary now and then; one
 *     flipped code (a whole quantization step) shifts every output of the next linear, flipping more
 *     codes, and after a few layers the two trajectories differ by about as much as either differs
 *     from FP32. So there the logits need only be within LOGITS_VS_QUANT x the pseudo model's own
 *     distance from FP32 (a gross check: a wrong scale, zero or layout is far outside it).
 */
import type { LlamaConfig } from "../lib/model/config.ts";
import type { LlamaModel } from "../lib/model/forward.ts";
import { kernelLinears, type KernelLinears } from "../lib/model/kernel-linear.ts";
import type { Linear } from "../lib/model/linear.ts";
import { llamaFamily } from "../lib/model/family.ts";
import { buildModel, llamaEngine } from "../lib/model/llama.ts";
import { quantizeModel } from "../lib/model/quantize.ts";
import type { LayerWeights, LlamaWeights } from "../lib/model/weights.ts";
import type { LogitsEngine } from "../lib/model/engine.ts";
import { parseSpec } from "../lib/quant/spec.ts";
import { mulberry32 } from "../lib/tensor/prng.ts";

export const CONFIG: LlamaConfig = {
  dim: 1024, hiddenDim: 2816, nLayers: 4, nHeads: 16, nKvHeads: 16, headDim: 64,
  vocabSize: 4096, contextLength: 512, normEps: 1e-5, ropeTheta: 10000, ropeLayout: "adjacent",
  family: llamaFamily("llama", 10000, 64, 4),
};
/** tokens per timed window */
export const WINDOW = 128;
/** timed windows per model (after one warm-up); the best counts */
const REPS = 5;
/** rows of logits compared in the validation (a window of CHECK_ROWS tokens: causal, so these are the first rows of any window) */
const CHECK_ROWS = 8;
/** per linear, same input: integer vs pseudo-quantized output (f32 summation order only) */
export const LINEAR_TOL = 1e-4;
/** end to end, weight-only specs: integer vs pseudo-quantized logits */
export const LOGITS_TOL = 1e-5;
/** end to end, specs with activation quantization: at most this many times the pseudo model's distance from FP32 */
export const LOGITS_VS_QUANT = 2;
const SEED = 0x5eed;
const STD = 0.02;

export const EVAL_DEFINITIONS = `eval_tokens_per_s_*: tokens/s of llamaEngine(model).window(${WINDOW} tokens) from an empty cache, `
  + "every logits row consumed (forward + f32 lm_head), one thread, best of " + `${REPS} after a warm-up (eval_cpu_*: per CPU second); model generated in memory: `
  + `dim ${CONFIG.dim}, ${CONFIG.nLayers} layers, ${CONFIG.nHeads} heads x ${CONFIG.headDim}, ${CONFIG.nKvHeads} KV heads (no GQA), hidden ${CONFIG.hiddenDim}, `
  + `vocab ${CONFIG.vocabSize}; fp32: f32 kernel linears; w8a8 / w4: quantizeModel (RTN g128) on the integer kernels; `
  + `checked first against the pseudo-quantized model: every linear on the integer model's activations (eval_check_*_linear_err <= ${LINEAR_TOL}), `
  + `logits of the first ${CHECK_ROWS} rows (eval_check_*_logits_err: W4 <= ${LOGITS_TOL}, W8A8 <= ${LOGITS_VS_QUANT} x its distance from FP32)`;

/** Seeded Llama weights: N(0, STD^2) by Box-Muller on mulberry32, norms 1. */
export function syntheticLlama(c: LlamaConfig, seed = SEED): LlamaWeights {
  const rnd = mulberry32(seed);
  const normal = (n: number): Float32Array => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i += 2) {
      const r = STD * Math.sqrt(-2 * Math.log(1 - rnd())), th = 2 * Math.PI * rnd();
      a[i] = r * Math.cos(th);
      if (i + 1 < n) a[i + 1] = r * Math.sin(th);
    }
    return a;
  };
  const ones = () => new Float32Array(c.dim).fill(1);
  const kv = c.nKvHeads * c.headDim;
  const layers: LayerWeights[] = [];
  for (let l = 0; l < c.nLayers; l++) {
    layers.push({
      attnNorm: ones(), wq: normal(c.dim * c.dim), wk: normal(kv * c.dim), wv: normal(kv * c.dim), wo: normal(c.dim * c.dim),
      ffnNorm: ones(), gate: normal(c.hiddenDim * c.dim), up: normal(c.hiddenDim * c.dim), down: normal(c.dim * c.hiddenDim),
    });
  }
  return { embed: normal(c.vocabSize * c.dim), layers, finalNorm: ones(), lmHead: normal(c.vocabSize * c.dim) };
}

/** Runs one window, consuming every row; returns the first `keep` rows (copies) and a checksum. */
async function runWindow(e: LogitsEngine, tokens: Int32Array, keep = 0): Promise<{ rows: Float32Array[]; sum: number }> {
  const rows: Float32Array[] = [];
  let sum = 0, n = 0;
  for await (const row of e.window(tokens)) {
    if (n < keep) rows.push(row.slice());
    sum += row[0]! + row[row.length - 1]!;
    n++;
  }
  if (n !== tokens.length) throw new Error(`bench eval: ${e.name} yielded ${n} rows for ${tokens.length} tokens`);
  if (!Number.isFinite(sum)) throw new Error(`bench eval: ${e.name} produced non-finite logits`);
  return { rows, sum };
}

/** max over rows of max_i |a_i - b_i| / max_i |b_i| (rows of `cols` values) */
function relErr(a: ArrayLike<number>[], b: ArrayLike<number>[], cols = b[0]?.length ?? 0): number {
  let worst = 0;
  for (let k = 0; k < b.length; k++) {
    const x = a[k]!, y = b[k]!;
    for (let o = 0; o < y.length; o += cols) {
      let d = 0, m = 0;
      for (let i = o; i < o + cols; i++) {
        d = Math.max(d, Math.abs(x[i]! - y[i]!));
        m = Math.max(m, Math.abs(y[i]!));
      }
      worst = Math.max(worst, m === 0 ? (d === 0 ? 0 : Infinity) : d / m);
    }
  }
  return worst;
}

/** Runs `int` (whose output goes on) and its pseudo-quantized twin `ref` on the same input; keeps the worst relErr. */
class CheckedLinear implements Linear {
  readonly rows: number;
  readonly cols: number;
  worst = 0;
  constructor(readonly int: Linear, readonly ref: Linear) {
    this.rows = int.rows;
    this.cols = int.cols;
  }
  forward(x: Float32Array, M: number, out: Float32Array): void {
    const want = new Float32Array(M * this.rows);
    this.ref.forward(x, M, want);
    this.int.forward(x, M, out);
    this.worst = Math.max(this.worst, relErr([out.subarray(0, M * this.rows)], [want], this.rows));
  }
}

/** `int` with every linear of every layer checked against the same linear of `ref`; lm_head is `int`'s (f32 in both). */
function checkedModel(int: LlamaModel, ref: LlamaModel): { model: LlamaModel; worst(): number } {
  const all: CheckedLinear[] = [];
  const wrap = (a: Linear, b: Linear) => { const l = new CheckedLinear(a, b); all.push(l); return l; };
  const layers = int.layers.map((L, l) => {
    const R = ref.layers[l]!;
    return { ...L, q: wrap(L.q, R.q), k: wrap(L.k, R.k), v: wrap(L.v, R.v), o: wrap(L.o, R.o), gate: wrap(L.gate!, R.gate!), up: wrap(L.up!, R.up!), down: wrap(L.down!, R.down!) };
  });
  return { model: { ...int, layers }, worst: () => Math.max(...all.map((l) => l.worst)) };
}

const seconds = (t0: number) => ((performance.now() - t0) / 1e3).toFixed(1);
/** CPU time of this process (user + system), ms */
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };

export async function evalFigures(log: (s: string) => void = () => {}): Promise<Record<string, number>> {
  const c = CONFIG;
  let t0 = performance.now();
  const fp = syntheticLlama(c);
  const rnd = mulberry32(SEED + 1);
  const tokens = Int32Array.from({ length: WINDOW }, () => Math.floor(rnd() * c.vocabSize));
  const check = tokens.subarray(0, CHECK_ROWS);
  log(`bench eval: synthetic model generated (${seconds(t0)} s)`);

  const kernels: KernelLinears[] = [];
  const engines: LogitsEngine[] = [];
  const out: Record<string, number> = {};
  try {
    const kFp = await kernelLinears();
    kernels.push(kFp);
    const fp32 = llamaEngine(buildModel(c, fp, kFp.f32), { name: "FP32" });
    engines.push(fp32);
    const ref = (await runWindow(fp32, check, CHECK_ROWS)).rows;

    const timed: Array<[string, LogitsEngine]> = [["fp32", fp32]];
    for (const [key, text] of [["w8a8", "W8A8"], ["w4", "W4"]] as const) {
      const spec = parseSpec(text);
      t0 = performance.now();
      // pseudo-quantized reference: dequantized weights on f32 kernel linears (activations pseudo-quantized)
      const kPseudo = await kernelLinears();
      const pseudoModel = quantizeModel(c, fp, spec, { f32: kPseudo.f32 }).model;
      const pseudo = llamaEngine(pseudoModel, { name: `${text} pseudo` });
      // the integer model that is timed
      const kInt = await kernelLinears();
      kernels.push(kInt);
      const q = quantizeModel(c, fp, spec, { f32: kInt.f32, packed: kInt.packed });
      if (q.backend !== "integer") throw new Error(`bench eval: ${text} built the ${q.backend} backend`);
      const eng = llamaEngine(q.model, { name: text });
      engines.push(eng);
      try {
        // per linear on the integer model's own activations; its logits are the integer path's
        const checked = checkedModel(q.model, pseudoModel);
        const got = (await runWindow(llamaEngine(checked.model, { name: `${text} checked` }), check, CHECK_ROWS)).rows;
        const linearErr = checked.worst();
        const want = (await runWindow(pseudo, check, CHECK_ROWS)).rows;
        const logitsErr = relErr(got, want), quantErr = relErr(want, ref);
        const logitsTol = spec.act ? LOGITS_VS_QUANT * quantErr : LOGITS_TOL;
        log(`bench eval: ${text} integer vs pseudo-quantized, first ${CHECK_ROWS} rows: linears ${linearErr.toExponential(2)} (tol ${LINEAR_TOL}), `
          + `logits ${logitsErr.toExponential(2)} (tol ${logitsTol.toExponential(2)}; pseudo vs FP32 ${quantErr.toExponential(2)}); ${seconds(t0)} s`);
        if (!(linearErr <= LINEAR_TOL)) throw new Error(`bench eval: ${text} integer linears differ from the pseudo-quantized ones by ${linearErr} (tolerance ${LINEAR_TOL})`);
        if (!(logitsErr <= logitsTol)) throw new Error(`bench eval: ${text} integer logits differ from the pseudo-quantized model's by ${logitsErr} (tolerance ${logitsTol})`);
        out[`eval_check_${key}_linear_err`] = +linearErr.toExponential(2);
        out[`eval_check_${key}_logits_err`] = +logitsErr.toExponential(2);
      } finally {
        await pseudo.close();
        await kPseudo.close();
      }
      timed.push([key, eng]);
    }

    log(`bench eval: timing windows of ${WINDOW} tokens (warm-up, then ${REPS} reps per model, interleaved)`);
    const best = new Map<string, number>(), bestCpu = new Map<string, number>();
    for (const [, e] of timed) await runWindow(e, tokens);
    for (let r = 0; r < REPS; r++) {
      for (const [key, e] of timed) {
        const s = performance.now(), sc = cpuMs();
        await runWindow(e, tokens);
        const ms = performance.now() - s, cms = cpuMs() - sc;
        best.set(key, Math.min(best.get(key) ?? Infinity, ms));
        bestCpu.set(key, Math.min(bestCpu.get(key) ?? Infinity, cms));
        log(`bench eval:   ${key.padEnd(5)} ${ms.toFixed(0)} ms (${cms.toFixed(0)} ms CPU)`);
      }
    }
    for (const [key] of timed) out[`eval_tokens_per_s_${key}`] = +(WINDOW / (best.get(key)! / 1e3)).toFixed(1);
    out.eval_w8a8_vs_fp32 = +(out.eval_tokens_per_s_w8a8! / out.eval_tokens_per_s_fp32!).toFixed(3);
    out.eval_w4_vs_fp32 = +(out.eval_tokens_per_s_w4! / out.eval_tokens_per_s_fp32!).toFixed(3);
    for (const [key] of timed) out[`eval_cpu_tokens_per_s_${key}`] = +(WINDOW / (bestCpu.get(key)! / 1e3)).toFixed(1);
    out.eval_cpu_w8a8_vs_fp32 = +(out.eval_cpu_tokens_per_s_w8a8! / out.eval_cpu_tokens_per_s_fp32!).toFixed(3);
    out.eval_window_tokens = WINDOW;
  } finally {
    for (const e of engines) await e.close();
    for (const k of kernels) await k.close();
  }
  return out;
}
