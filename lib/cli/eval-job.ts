/**
 * What `quantlens eval` evaluates, rebuilt from plain data: the model, its tokenizer (--tokenizer,
 * the GGUF's own, or a file in the model's folder), the text streamed by lines, calibration text
 * and tasks. The command opens it in its own thread; each thread of a split run (eval-threads.ts)
 * opens it again from the same arguments, so every thread runs the same session.
 */
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { linesToDocuments } from "../eval/documents.ts";
import { parseChoiceSuite } from "../eval/multiple-choice.ts";
import type { EvalSessionOptions } from "../eval/session.ts";
import { openModel } from "../formats/open.ts";
import { nodeRuntime } from "../formats/open-node.ts";
import type { TensorSource } from "../formats/types.ts";
import { parseSpecList } from "../quant/spec.ts";
import { tokenizerForModel } from "../tokenizers/open.ts";
import { openTokenizerPath, TOKENIZER_FILE_NAMES } from "../tokenizers/open-node.ts";
import type { Tokenizer } from "../tokenizers/types.ts";
import { CliError, EXIT_BAD_INPUT } from "./errors.ts";
import { readTextFile, textLines } from "./text-file.ts";

/** The arguments of `quantlens eval` a session needs (structured-clone safe). */
export interface EvalJobArgs { model: string; tokenizer?: string; text: string; calib?: string; tasks?: string; specs: string; context?: number }

/** A session's inputs without the matmul factories (each thread makes its own kernel). */
export interface EvalJob { options: Omit<EvalSessionOptions, "f32" | "packed">; close(): Promise<void> }

type TokenizerOptions = { model: string; tokenizer?: string };

/** Opens what `args` name (the command has checked them already). */
export async function openEvalJob(a: EvalJobArgs): Promise<EvalJob> {
  const source = await openModel(a.model, { runtime: nodeRuntime });
  try {
    const tokenizer = await tokenizerFor(a, source);
    return {
      options: {
        source, tokenizer, documents: () => linesToDocuments(textLines("--text", a.text)), specs: parseSpecList(a.specs), context: a.context,
        calibText: a.calib ? await readTextFile("--calib", a.calib) : undefined,
        tasks: a.tasks ? parseChoiceSuite(await readTextFile("--tasks", a.tasks), a.tasks) : undefined,
      },
      close: () => source.close(),
    };
  } catch (e) {
    await source.close();
    throw e;
  }
}

/** --tokenizer, else the GGUF's own vocabulary, else a tokenizer file in the model's folder. */
export async function tokenizerFor(opts: TokenizerOptions, source: TensorSource): Promise<Tokenizer> {
  const vocabSize = source.config.vocabSize;
  const tok = await findTokenizer(opts, source);
  // ids past the embedding would index outside it; a smaller tokenizer is a padded vocabulary
  if (vocabSize !== undefined && tok.vocabSize > vocabSize) {
    throw new CliError(`${opts.tokenizer ?? opts.model}: the tokenizer has ${tok.vocabSize} tokens, the model's vocabulary ${vocabSize}: not this model's tokenizer`, { exitCode: EXIT_BAD_INPUT });
  }
  return tok;
}

async function findTokenizer(opts: TokenizerOptions, source: TensorSource): Promise<Tokenizer> {
  const vocabSize = source.config.vocabSize;
  if (opts.tokenizer) return openTokenizerPath(opts.tokenizer, { vocabSize }).catch((e) => { throw asInputError(opts.tokenizer!, e); });
  const embedded = tokenizerForModel(source);
  if (embedded) return embedded;
  const dir = existsSync(opts.model) && statSync(opts.model).isDirectory() ? opts.model : dirname(opts.model);
  if (existsSync(dir) && TOKENIZER_FILE_NAMES.some((n) => existsSync(join(dir, n)))) {
    return openTokenizerPath(dir, { vocabSize }).catch((e) => { throw asInputError(dir, e); });
  }
  throw new CliError(`${opts.model}: the model holds no tokenizer; pass --tokenizer <tokenizer.json | llama2.c tokenizer.bin>`, { exitCode: EXIT_BAD_INPUT });
}

/** A tokenizer file that cannot be read is bad input (exit 1), named, whatever the reader threw. */
function asInputError(path: string, e: unknown): Error {
  if (e instanceof CliError || (e instanceof Error && e.name === "FormatError")) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new CliError(msg.includes(path) ? msg : `--tokenizer: ${path}: ${msg}`, { exitCode: EXIT_BAD_INPUT });
}
