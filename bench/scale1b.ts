/**
 * The scale check of issue 14 (run by hand, not in CI, not in `npm run bench`): a generated
 * 1.1B-parameter Llama with TinyLlama's shapes (model110m.ts M1B1: dim 2048, 22 layers, 32 heads,
 * 4 KV heads, hidden 5632, vocab 32000) evaluated as `quantlens eval` runs it (its kernel budget:
 * lib/cli/kernel-budget.ts, several wasm32 memories; window-major; one thread) on the bench's
 * 2,048 seeded tokens in one window of the model's context (2,048), with FP32, W8A8, W4, KV4.
 *   node --import tsx bench/scale1b.ts [SPECS]   -> one JSON line: seconds, phases, peak RSS, results
 */
import { cliKernelBudget } from "../lib/cli/kernel-budget.ts";
import { collectGarbage } from "../lib/cli/gc.ts";
import { runEvalSession } from "../lib/eval/session.ts";
import { kernelLinears } from "../lib/model/kernel-linear.ts";
import { parseSpecList } from "../lib/quant/spec.ts";
import { idsTokenizer, M1B1, model110mSource, tensorShapes, tokenText } from "./model110m.ts";

const specs = parseSpecList(process.argv[2] ?? "FP32,W8A8,W4,KV4");
const rssMb = () => +(process.resourceUsage().maxRSS / 1024).toFixed(0);
const budget = cliKernelBudget(1);
const k = await kernelLinears({ memories: budget.memories });
const weights = tensorShapes(M1B1).reduce((s, [, sh]) => s + sh.reduce((a, b) => a * b, 1), 0);
const t0 = performance.now();
const phases: Record<string, number> = {};
let phase = "", since = t0;
const results = await runEvalSession({
  source: model110mSource(M1B1), tokenizer: idsTokenizer(M1B1.vocab), text: tokenText(), specs,
  f32: k.f32, packed: k.packed, memoryLimit: budget.memoryLimit, collectGarbage,
  onProgress: (p) => {
    const key = `${p.phase} ${p.spec}`;
    if (key === phase) return;
    const now = performance.now();
    if (phase) phases[phase] = +((now - since) / 1e3).toFixed(1);
    process.stderr.write(`scale1b: ${key} (${((now - t0) / 1e3).toFixed(0)} s, peak RSS ${rssMb()} MB)\n`);
    phase = key; since = now;
  },
});
const seconds = (performance.now() - t0) / 1e3;
if (phase) phases[phase] = +((performance.now() - since) / 1e3).toFixed(1);
console.log(JSON.stringify({
  model: M1B1, parameters: weights, f32_weights_mb: +(weights * 4 / 2 ** 20).toFixed(0), budget, kernel_memories: k.kernels.length,
  seconds: +seconds.toFixed(1), tokens: 2048, phases, peak_rss_mb: rssMb(), results: Object.fromEntries(results),
}));
