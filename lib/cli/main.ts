/**
 * Entry of the `quantlens` command: parse arguments, dispatch to a lazily imported
 * command, turn errors into one line and an exit code (stack only with --debug).
 */
import { parseArgs } from "node:util";
import { FormatError } from "../formats/errors.ts";
import { defaultEffects, type Effects } from "./effects.ts";
import { CliError, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_USAGE } from "./errors.ts";
import { escapeControl } from "./escape.ts";

export const USAGE = `Usage: quantlens <command> [<model>] [options]

Commands:
  stats <model>     per-tensor statistics (absmax, mean, std, kurtosis, ...)
  inspect <model>   architecture, config, parameter count, tensor inventory, bytes per dtype
  eval <model>      perplexity, mean NLL, KL divergence from FP32 and top-1 agreement
                    of each quantization spec on a text (Llama-family models)
  report <model|run-id>
                    a report (Markdown, HTML or PDF) from the store: model summary and memory,
                    outlier findings, measured sensitivity per spec, method notes; of a model
                    (statistics computed unless --db has them, with every eval run in --db)
                    or of one stored run
  recommend [<model>]  which quantization specs to deploy, with the rules, the published
                    evidence rows and your own eval runs (--db) behind each

<model> is a .safetensors, .gguf, .bin (llama2.c) or .onnx file, a model folder
(config.json + model.safetensors[.index.json]), an http(s) URL, or hf:org/name[@revision].

Options:
  --json            print JSON to stdout instead of a table (default: off)
  --db <file>       also append the results to a DuckDB file (default: none)
  --tensor <glob>   only tensors whose name matches (* and ?; repeatable) (default: all)
  --workers <n>     statistics worker threads (default: 1)
  --spec <list>     stats: also relative MSE and SQNR of each 2-D tensor under weight specs
                    (RTN), e.g. --spec W8,W4,W3-g64 (default: none)
  --no-progress     no progress bar on stderr (default: shown on a terminal)
  --debug           show stack traces on errors (default: off)

Options of eval:
  --text <file>     evaluation text; documents separated by lines <|endoftext|> (required)
  --spec <list>     comma-separated specs: FP32, W8, W4-g128, W4A8, KV4, W3-g-1-awq,
                    W4-gptq, W8A8-smoothquant, ... (required)
  --tokenizer <f>   tokenizer.json or a llama2.c tokenizer .bin (default: the GGUF's own)
  --calib <file>    calibration text for AWQ, GPTQ, SmoothQuant (default: the --text)
  --tasks <file>    multiple-choice suite, JSONL lines {"context", "choices", "answer"},
                    scored by log-likelihood per spec (mc_accuracy, mc_accuracy_norm)
  --engine <name>   llama (our forward pass, integer kernels) or ort (onnxruntime-web on an
                    .onnx file: FP32 and weight-only RTN specs) (default: llama)
  --context <n>     window length S of the protocol, at most the model's context
                    (default: the model's context length)
  --threads <n>     worker threads, the windows split among them; each holds its own copy
                    of the model (default: the cores there are)

Options of report:
  --db <file>       the store to read (and to add statistics and the report to) (default: in memory)
  --format <f>      md, html (one file, inline CSS and SVG, no script) or pdf (A4, printed with
                    Chromium at $CHROMIUM_PATH or /usr/bin/chromium) (default: from --out, else md)
  --out <file>      where to write (default: stdout; required for pdf; md writes its charts
                    as SVG files in <out>-figures/)
  --context <n>     context length of the KV cache figures (default: the model's, else 4096)
  --task <kind>     the deployment's task kind for the recommendation, e.g. dialogue (default: none)
  --memory-gb <n>   memory budget of the recommendation (weights + KV cache), GB (default: none)
  --compare         report --compare <run-a> <run-b>: the two runs side by side (statistics per
                    tensor with differences, eval metrics per spec with deltas) (default: off)
Options of recommend (a <model> gives size, family and context from its headers):
  --params-b <n>    parameters in billions (default: the model's; required without one)
  --family <name>   model family as the evidence names it: LLaMA2, Mistral, OPT, ...
                    (default: from the model's name, else unknown)
  --task <kind>     basic_nlp, in_context_learning, instruction_following,
                    multi_step_reasoning, self_calibration, dialogue, long_context, ethics
                    (default: any)
  --context <n>     context length in tokens (default: the model's, else 2048)
  --memory-gb <n>   memory budget for weights + KV cache, GB = 2^30 bytes (default: none)
  --target <t>      weights, weights+activations, kv or all (default: all)
  --predict         also read the model's weights for a predicted sensitivity per spec
                    (worst-layer SQNR; activations and KV from a stored calibration) (default: off)
  -h, --help        this text
`;

const OPTIONS = {
  json: { type: "boolean", default: false },
  db: { type: "string" },
  tensor: { type: "string", multiple: true },
  workers: { type: "string", default: "1" },
  "no-progress": { type: "boolean", default: false },
  debug: { type: "boolean", default: false },
  text: { type: "string" },
  spec: { type: "string" },
  tokenizer: { type: "string" },
  calib: { type: "string" },
  engine: { type: "string" },
  tasks: { type: "string" },
  format: { type: "string" },
  out: { type: "string" },
  context: { type: "string" },
  threads: { type: "string" },
  task: { type: "string" },
  compare: { type: "boolean", default: false },
  "params-b": { type: "string" },
  family: { type: "string" },
  "memory-gb": { type: "string" },
  target: { type: "string" },
  predict: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** Parsed options shared by every command. */
export interface CliOptions {
  model: string;
  json: boolean;
  db?: string;
  tensor: string[];
  workers: number;
  progress: boolean;
  /** stats: weight specs whose quantization error is reported per 2-D tensor */
  spec?: string;
}

/** Runs the CLI with `argv` (no node/script prefix); returns the exit code. */
export async function main(argv: string[], fx: Effects = defaultEffects): Promise<number> {
  let debug = argv.includes("--debug");
  try {
    const { values, positionals } = parseArgsOrThrow(argv);
    debug = values.debug;
    if (values.help || positionals.length === 0) {
      (values.help ? fx.out : fx.err)(USAGE);
      return values.help ? 0 : EXIT_USAGE;
    }
    const [command, model, ...extra] = positionals;
    if (command === "recommend") {
      if (extra.length) throw new CliError(`recommend: unexpected argument "${extra[0]}"`);
      await (await import("./commands/recommend.ts")).run({ model, json: values.json, db: values.db, paramsB: values["params-b"], family: values.family,
        task: values.task, context: values.context, memoryGb: values["memory-gb"], target: values.target, predict: values.predict }, fx);
      return 0;
    }
    if (!model) throw new CliError(`${command}: missing <model>\n\n${USAGE}`);
    // report --compare <run-a> <run-b> takes a second run
    const compareWith = command === "report" && values.compare ? extra.shift() : undefined;
    if (command === "report" && values.compare && !compareWith) throw new CliError("report --compare: give two run ids, <run-a> <run-b>");
    if (extra.length) throw new CliError(`${command}: unexpected argument "${extra[0]}"`);
    const workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
      throw new CliError(`--workers must be an integer in [1, 64], got "${values.workers}"`);
    }
    const opts: CliOptions = {
      model, json: values.json, db: values.db, tensor: values.tensor ?? [], workers, spec: values.spec,
      progress: !values["no-progress"],
    };
    switch (command) {
      case "stats":
        await (await import("./commands/stats.ts")).run(opts, fx);
        return 0;
      case "inspect":
        await (await import("./commands/inspect.ts")).run(opts, fx);
        return 0;
      case "eval":
        await (await import("./commands/eval.ts")).run({ ...opts, text: values.text, spec: values.spec, tokenizer: values.tokenizer, calib: values.calib, engine: values.engine, tasks: values.tasks, context: values.context, threads: values.threads }, fx);
        return 0;
      case "report":
        await (await import("./commands/report.ts")).run({ ...opts, format: values.format, out: values.out, context: values.context, task: values.task, memoryGb: values["memory-gb"], compareWith }, fx);
        return 0;
      default:
        throw new CliError(`unknown command "${command}"\n\n${USAGE}`);
    }
  } catch (e) {
    return report(e, fx, debug);
  }
}

/** `--opt -1` -> `--opt=-1` for string options, so a negative number reaches the option's own check. */
function joinNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]!.startsWith("--") ? argv[i]!.slice(2) : null;
    const def = name ? (OPTIONS as Record<string, { type: string }>)[name] : undefined;
    if (def?.type === "string" && /^-\d/.test(argv[i + 1] ?? "")) out.push(`${argv[i]}=${argv[++i]}`);
    else out.push(argv[i]!);
  }
  return out;
}

function parseArgsOrThrow(argv: string[]) {
  try {
    return parseArgs({ args: joinNegativeValues(argv), options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CliError(`${(e as Error).message}\n\n${USAGE}`);
  }
}

/** One line per error; exit code by kind. */
function report(e: unknown, fx: Effects, debug: boolean): number {
  const err = e instanceof Error ? e : new Error(String(e));
  const code =
    err instanceof CliError ? err.exitCode :
    err instanceof FormatError || ["FormatError", "StoreOpenError", "NonFiniteLogitsError"].includes(err.name) ? EXIT_BAD_INPUT :
    isMissingFile(err) ? EXIT_BAD_INPUT : EXIT_INTERNAL;
  const prefix = code === EXIT_INTERNAL ? "quantlens: internal error: " : "quantlens: ";
  fx.err(`${prefix}${firstLine(err)}\n`);
  if (debug && err.stack) fx.err(`${err.stack}\n`);
  return code;
}

function isMissingFile(e: Error & { code?: string }): boolean {
  return e.code === "ENOENT" || e.code === "EISDIR" || e.code === "EACCES";
}

/** The message to print: a CliError whole (it may end with the usage), else its first line; controls escaped. */
function firstLine(e: Error): string {
  if (e instanceof CliError) return e.message.split("\n").map(escapeControl).join("\n");
  if (e instanceof FormatError || e.name === "FormatError") return escapeControl(e.message); // a name may hold a newline
  return escapeControl(e.message.split("\n")[0]!);
}

export { USAGE as usage, EXIT_USAGE };
