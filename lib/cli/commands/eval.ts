/**
 * `quantlens eval <model> --text f --spec FP32,W8,W4A8,KV4 [--tokenizer f] [--calib f] [--json] [--db f]`:
 * perplexity, mean NLL, KL divergence from FP32 and top-1 agreement per spec (CONTRACT keys), each
 * finished spec appended to the store at once so an interrupted run keeps what it finished.
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { EvalResult } from "../../eval/metrics.ts";
import { runEvalSession } from "../../eval/session.ts";
import { openTokenizerFile, tokenizerForModel } from "../../eval/tokenizers/open.ts";
import type { Tokenizer } from "../../eval/tokenizers/types.ts";
import { openModelNode } from "../../formats/open-node.ts";
import type { TensorSource } from "../../formats/types.ts";
import { nodeLinears } from "../../model/kernel-linear.ts";
import { parseSpecList, SpecError, type QuantSpec } from "../../quant/spec.ts";
import type { Effects } from "../effects.ts";
import { CliError } from "../errors.ts";
import { EvalProgressBar } from "../eval-progress.ts";
import type { CliOptions } from "../main.ts";
import { recordEval } from "../record-eval.ts";
import { fmt, renderTable } from "../table.ts";

export interface EvalOptions extends CliOptions {
  text?: string;
  spec?: string;
  tokenizer?: string;
  calib?: string;
}

/** The specs as the user wrote them (the JSON keys) with their parsed form. */
function specs(list: string): Array<[string, QuantSpec]> {
  const names = list.split(",").map((s) => s.trim()).filter(Boolean);
  try {
    const parsed = parseSpecList(names.join(","));
    return names.map((n, i) => [n, parsed[i]!]);
  } catch (e) {
    if (e instanceof SpecError) throw new CliError(`--spec: ${e.message}`);
    throw e;
  }
}

async function tokenizerFor(opts: EvalOptions, source: TensorSource): Promise<Tokenizer> {
  if (opts.tokenizer) return openTokenizerFile(new Uint8Array(await readFile(opts.tokenizer)), opts.tokenizer, { vocabSize: source.config.vocabSize });
  const embedded = tokenizerForModel(source);
  if (embedded) return embedded;
  throw new CliError(`${opts.model}: the model file holds no tokenizer; pass --tokenizer <tokenizer.json | llama2.c tokenizer.bin>`);
}

/** Runs the evaluation and prints JSON or a table. */
export async function run(opts: EvalOptions, fx: Effects): Promise<void> {
  if (!opts.text) throw new CliError("eval: missing --text <file>");
  if (!opts.spec) throw new CliError("eval: missing --spec <list>, e.g. --spec FP32,W8,W4A8,KV4");
  const wanted = specs(opts.spec);
  const text = await readFile(opts.text, "utf8");
  const calibText = opts.calib ? await readFile(opts.calib, "utf8") : undefined;
  if (!calibText && wanted.some(([, s]) => s.method !== "rtn")) {
    fx.err(`quantlens: no --calib given: calibrating on the evaluation text ${basename(opts.text)} (optimistic for AWQ/GPTQ/SmoothQuant)\n`);
  }
  const source = await openModelNode(opts.model);
  const byCanonical = new Map(wanted.map(([name, s]) => [s.text, name]));
  const out: Record<string, EvalResult> = {};
  const bar = new EvalProgressBar(fx, opts.progress && fx.isTTY);
  const recorder = opts.db ? await recordEval(opts.db, source, opts.model, { text: opts.text, specs: wanted.map(([n]) => n), calib: opts.calib ?? null }) : null;
  const linears = await nodeLinears();
  try {
    const tokenizer = await tokenizerFor(opts, source);
    await runEvalSession({
      source, tokenizer, text, calibText, specs: wanted.map(([, s]) => s), ...linears,
      onProgress: (p) => bar.update(p),
      onSpec: async (spec, result) => {
        out[byCanonical.get(spec.text) ?? spec.text] = result;
        await recorder?.add(byCanonical.get(spec.text) ?? spec.text, result);
      },
    });
    await recorder?.finish("done");
  } catch (e) {
    await recorder?.finish("failed");
    throw e;
  } finally {
    bar.done();
    await recorder?.close();
    await linears.close();
    await source.close();
  }
  if (opts.json) { fx.out(`${JSON.stringify(out)}\n`); return; }
  fx.out(renderTable(["spec", "ppl", "mean_nll", "kl", "top1_agreement", "tokens"],
    Object.entries(out).map(([k, r]) => [k, fmt(r.ppl), fmt(r.mean_nll), fmt(r.kl), fmt(r.top1_agreement), r.tokens])));
}
