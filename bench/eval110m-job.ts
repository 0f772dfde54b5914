/** The eval110m session as a job every thread of a split run opens (lib/cli/eval-threads.ts): the generated model, its ids and tokenizer. */
import type { EvalJob } from "../lib/cli/eval-job.ts";
import { parseSpecList } from "../lib/quant/spec.ts";
import { idsTokenizer, model110mSource, tokenText, WINDOW_110M } from "./model110m.ts";

/** The session's inputs for `specs` (a comma-separated list). */
export async function openEvalJob(args: { specs: string }): Promise<EvalJob> {
  return {
    options: { source: model110mSource(), tokenizer: idsTokenizer(), text: tokenText(), specs: parseSpecList(args.specs), context: WINDOW_110M },
    close: async () => {},
  };
}
