/**
 * `quantlens eval <model> --text f --spec FP32,W8,W4A8,KV4 [--tokenizer f] [--calib f] [--json] [--db f]`:
 * perplexity, mean NLL, KL divergence from FP32 and top-1 agreement per spec (CONTRACT keys), each
 * finished spec appended to the store at once so an interrupted run keeps what it finished.
 */
import { withRecorder } from "../with-recorder.ts";
import { basename } from "node:path";
import type { EvalResult, EvalSums } from "../../eval/metrics.ts";
import { runEngineSession } from "../../eval/engine-session.ts";
import { parseChoiceSuite, type ChoiceResult } from "../../eval/multiple-choice.ts";
import { calibrationStats } from "../../model/calibration-stats.ts";
import { linesToDocuments, type Documents } from "../../eval/documents.ts";
import { countTokens, runEvalSession, tokenized, type SessionProgress } from "../../eval/session.ts";
import { pseudoQuantize } from "../../quant/rtn.ts";
import type { Tokenizer } from "../../tokenizers/types.ts";
import { openModel } from "../../formats/open.ts";
import { nodeRuntime } from "../../formats/open-node.ts";
import type { TensorSource } from "../../formats/types.ts";
import { nodeLinears } from "../../model/kernel-linear.ts";
import { llamaConfig } from "../../model/config.ts";
import { availableParallelism } from "node:os";
import { tokenizerFor, type EvalJobArgs } from "../eval-job.ts";
import { runThreadedSession } from "../eval-threads.ts";
import { collectGarbage } from "../gc.ts";
import { cliKernelBudget } from "../kernel-budget.ts";
import { parseSpecList, type QuantSpec, SpecError } from "../../quant/spec.ts";
import type { Effects } from "../effects.ts";
import { CliError, EXIT_BAD_INPUT } from "../errors.ts";
import { EvalProgressBar } from "../eval-progress.ts";
import type { CliOptions } from "../main.ts";
import { recordEval } from "../record-eval.ts";
import { fmt, renderTable } from "../table.ts";
import { checkTextFile, readTextFile, textLines } from "../text-file.ts";
import { escapeControl, jsonForTerminal } from "../escape.ts";
import { groupNote } from "../../quant/group-note.ts";
import { moduleOf } from "../../formats/names.ts";

const LINEAR_KINDS = new Set(["q", "k", "v", "o", "gate", "up", "down"]);

export interface EvalOptions extends CliOptions {
  text?: string;
  spec?: string;
  tokenizer?: string;
  calib?: string;
  engine?: string;
  tasks?: string;
  context?: string;
  threads?: string;
}

/** --threads N: an integer in [1, 64]; default: the cores there are. */
function threadsOption(v: string | undefined): number {
  if (v === undefined) return availableParallelism();
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 64) throw new CliError(`--threads must be an integer in [1, 64], got "${v}"`);
  return Number(v);
}

/** Windows of the protocol over the documents (a thread beyond them would have nothing to score). */
async function countWindows(tokenizer: Tokenizer, docs: Documents, S: number): Promise<number> {
  let n = 0;
  for await (const ids of tokenized(tokenizer, docs)) n += Math.ceil(Math.max(ids.length - 1, 0) / S);
  return n;
}

/** --context N: a positive integer (checked against the model's context by the evaluator). */
function contextOption(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new CliError(`--context must be a positive integer, got "${v}"`);
  return Number(v);
}

/** The specs as the user wrote them (the JSON keys) with their parsed form. */
function specs(list: string): Array<[string, QuantSpec]> {
  const names = list.split(",").map((s) => s.trim());
  try {
    const parsed = parseSpecList(list); // an empty entry (W4,,W8) is refused, as stats --spec does
    return names.map((n, i) => [n, parsed[i]!]);
  } catch (e) {
    if (e instanceof SpecError) throw new CliError(`--spec: ${e.message}`);
    throw e;
  }
}

/** Throws unless the text holds at least one document (reading stops at the first). */
async function checkHasDocument(path: string, documents: Documents): Promise<void> {
  for await (const _ of documents()) return;
  throw new CliError(`--text: ${path} holds no document (empty, or only <|endoftext|> separators)`, { exitCode: EXIT_BAD_INPUT });
}

/** onnxruntime-web runs ONNX files, FP32 and weight-only RTN specs (weights rewritten in the graph). */
function checkOrtSpecs(model: string, wanted: Array<[string, QuantSpec]>): void {
  if (!model.endsWith(".onnx")) throw new CliError(`--engine ort: ${model} is not an .onnx file`);
  for (const [name, s] of wanted) {
    if (!s.float && (s.act || s.kv || s.method !== "rtn")) {
      throw new CliError(`--engine ort: spec ${name}: onnxruntime-web runs FP32 and weight-only RTN specs; use --engine llama for activations, KV cache and ${s.method}`);
    }
  }
}

/** The FP32 reference and each weight-only spec on onnxruntime-web, through the same evaluator. */
async function runOrtSession(model: string, tokenizer: Tokenizer, docs: Documents, specs: QuantSpec[], context: number | undefined, onProgress: (p: SessionProgress) => void, onSpec: (s: QuantSpec, r: EvalResult) => Promise<void>): Promise<void> {
  const { openOrtEngineFromPath } = await import("../../model/ort/node.ts");
  const totals = await countTokens(tokenizer, docs);
  const reference = await openOrtEngineFromPath(model);
  try {
    await runEngineSession({
      documents: () => tokenized(tokenizer, docs), totals, specs, reference, context, onProgress, onSpec,
      open: (spec) => openOrtEngineFromPath(model, { label: spec.text, transformWeight: (_n, w, rows, cols) => pseudoQuantize(w, rows, cols, spec.weight!) }),
    });
  } finally {
    await reference.close();
  }
}

/** Runs the evaluation and prints JSON or a table. */
export async function run(opts: EvalOptions, fx: Effects): Promise<void> {
  if (!opts.text) throw new CliError("eval: missing --text <file>");
  if (!opts.spec) throw new CliError("eval: missing --spec <list>, e.g. --spec FP32,W8,W4A8,KV4");
  const wanted = specs(opts.spec);
  const context = contextOption(opts.context);
  const threadsWanted = threadsOption(opts.threads);
  const textPath = opts.text;
  const engine = opts.engine ?? "llama";
  if (engine !== "llama" && engine !== "ort") throw new CliError(`--engine must be llama or ort, got "${engine}"`);
  if (engine === "ort") checkOrtSpecs(opts.model, wanted);
  await checkTextFile("--text", textPath);
  // streamed line by line, once to count and once per spec: memory stays at one document
  const documents: Documents = () => linesToDocuments(textLines("--text", textPath));
  await checkHasDocument(textPath, documents);
  const calibText = opts.calib ? await readTextFile("--calib", opts.calib) : undefined;
  const tasks = opts.tasks ? parseChoiceSuite(await readTextFile("--tasks", opts.tasks), opts.tasks) : undefined;
  if (tasks && opts.engine === "ort") throw new CliError("--tasks runs on --engine llama only");
  if (!calibText && wanted.some(([, s]) => s.method !== "rtn")) {
    fx.err(`quantlens: no --calib given: calibrating on the evaluation text ${basename(opts.text)} (optimistic for AWQ/GPTQ/SmoothQuant)\n`);
  }
  const source = await openModel(opts.model, { runtime: nodeRuntime });
  // linear weights (every one but lm_head): a group size that leaves rows whole is said so
  const linearRows = source.tensors.filter((t) => t.shape.length === 2 && LINEAR_KINDS.has(moduleOf(t.name)))
    .map((t) => ({ name: t.name, rowLength: t.layout === "in_out" ? t.shape[0]! : t.shape[1]! }));
  for (const [, s] of wanted) { const note = groupNote(s, linearRows); if (note) fx.err(`quantlens: note: ${escapeControl(note)}\n`); }
  const byCanonical = new Map(wanted.map(([name, s]) => [s.text, name]));
  const out: Record<string, EvalResult & Partial<ChoiceResult>> = {};
  const bar = new EvalProgressBar(fx, opts.progress && fx.isTTY);
  let linears: Awaited<ReturnType<typeof nodeLinears>> | null = null;
  // one thread's share of the machine, over as many wasm32 memories as it takes (kernel-budget.ts)
  const budget = cliKernelBudget(1);
  let recorder: Awaited<ReturnType<typeof recordEval>> | null = null;
  try {
    linears = engine === "llama" ? await nodeLinears({ memories: budget.memories }) : null;
    // the run starts last, right before the try that finishes it: nothing fails in between
    recorder = opts.db ? await recordEval(opts.db, source, opts.model, { text: opts.text, specs: wanted.map(([n]) => n), calib: opts.calib ?? null }, fx.err) : null;
  } catch (e) {
    await linears?.close();
    await source.close();
    throw e;
  }
  const onSpec = async (spec: QuantSpec, result: EvalResult & Partial<ChoiceResult>) => {
    const name = byCanonical.get(spec.text) ?? spec.text;
    out[name] = result;
    await recorder?.add(name, result);
  };
  // every scored window is kept in the store as it finishes: window-major specs all finish at the end
  const onWindow = recorder ? (spec: number, window: number, sums: EvalSums) => recorder!.addWindow({ spec: wanted[spec]![0], window, sums }) : undefined;
  try {
    await withRecorder(recorder, async () => {
      const modelContext = source.config.contextLength;
      if (context !== undefined && modelContext !== undefined && context > modelContext) {
        throw new CliError(`--context ${context} exceeds the model's context length ${modelContext}`);
      }
      const tokenizer = await tokenizerFor(opts, source);
      const threads = linears ? Math.min(threadsWanted, await countWindows(tokenizer, documents, context ?? (await llamaConfig(source)).contextLength)) : 1;
      if (linears && threads > 1) {
        // every thread opens the same job (eval-job.ts) and scores every threads-th window
        await runThreadedSession({
          threads, specs: wanted.map(([, s]) => s), onProgress: (p) => bar.update(p), onSpec, onWindow,
          job: { module: new URL("../eval-job.ts", import.meta.url).href, args: { model: opts.model, tokenizer: opts.tokenizer, text: textPath, calib: opts.calib, tasks: opts.tasks, specs: opts.spec!, context } satisfies EvalJobArgs },
          onCalibration: (stats) => recorder?.addStats(stats),
          onNote: (spec, note) => fx.err(`quantlens: ${byCanonical.get(spec.text) ?? spec.text}: ${note}\n`),
        });
      } else if (linears) {
        // window-major unless FP32 + every spec's engine would overflow the kernels' budget
        await runEvalSession({ source, tokenizer, documents, calibText, specs: wanted.map(([, s]) => s), ...linears, memoryLimit: budget.memoryLimit, collectGarbage, tasks, context, onProgress: (p) => bar.update(p), onSpec, onWindow,
          onCalibration: (cal) => recorder?.addStats(calibrationStats(cal)),
          onNote: (spec, note) => fx.err(`quantlens: ${byCanonical.get(spec.text) ?? spec.text}: ${note}\n`) });
      } else {
        await runOrtSession(opts.model, tokenizer, documents, wanted.map(([, s]) => s), context, (p) => bar.update(p), onSpec);
      }
    });
  } finally {
    bar.done();
    await linears?.close();
    await source.close();
  }
  if (opts.json) { fx.out(`${jsonForTerminal(JSON.stringify(out))}\n`); return; }
  const mc = tasks ? ["mc_accuracy", "mc_accuracy_norm"] as const : [];
  fx.out(renderTable(["spec", "ppl", "mean_nll", "kl", "top1_agreement", "tokens", ...mc],
    Object.entries(out).map(([k, r]) => [k, fmt(r.ppl), fmt(r.mean_nll), fmt(r.kl), fmt(r.top1_agreement), r.tokens, ...mc.map((m) => fmt(r[m]))])));
}
