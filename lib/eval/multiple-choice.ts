/**
 * Multiple-choice suites scored by log-likelihood, lm-evaluation-harness style: each line of a
 * JSONL file is {context, choices, answer}; a choice's score is the summed log-probability of its
 * tokens after the context (acc) or that sum per character of the choice (acc_norm, the harness's
 * length normalisation); the prediction is the best-scoring choice.
 */
import { z } from "zod";
import { FormatError } from "../formats/errors.ts";
import type { LogitsEngine } from "../model/engine.ts";
import { logSumExp } from "./metrics.ts";
import type { Tokenizer } from "../tokenizers/types.ts";

/** more items than any benchmark suite (MMLU has 14k); bounds memory of a bad file */
export const MAX_CHOICE_ITEMS = 1_000_000;
/** more choices than any suite has (HellaSwag 4, MMLU 4, ARC 5) */
export const MAX_CHOICES = 64;

const ItemSchema = z.object({
  context: z.string(),
  choices: z.array(z.string()).min(2).max(MAX_CHOICES),
  answer: z.number().int().nonnegative(),
});
export type ChoiceItem = z.infer<typeof ItemSchema>;

/** Items of a JSONL suite; a bad line gives a FormatError naming the file and the line. */
export function parseChoiceSuite(jsonl: string, fileName: string): ChoiceItem[] {
  const items: ChoiceItem[] = [];
  const lines = jsonl.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    if (items.length >= MAX_CHOICE_ITEMS) throw new FormatError(fileName, `line ${i + 1}`, `more than ${MAX_CHOICE_ITEMS} items`);
    let value: unknown;
    try { value = JSON.parse(line); } catch (e) { throw new FormatError(fileName, `line ${i + 1}`, `not JSON (${(e as Error).message})`); }
    const r = ItemSchema.safeParse(value);
    if (!r.success) throw new FormatError(fileName, `line ${i + 1}`, r.error.issues.map((x) => `${x.path.join(".") || "item"}: ${x.message}`).join("; "));
    if (r.data.answer >= r.data.choices.length) throw new FormatError(fileName, `line ${i + 1} answer`, `${r.data.answer} but only ${r.data.choices.length} choices`);
    items.push(r.data);
  }
  if (items.length === 0) throw new FormatError(fileName, "items", "no item");
  return items;
}

export interface ChoiceResult { mc_accuracy: number; mc_accuracy_norm: number; mc_items: number }

/** Log-likelihood of `continuation` after `context` (token ids), left-truncated to the context length. */
async function loglik(engine: LogitsEngine, context: Int32Array, continuation: Int32Array, signal?: AbortSignal): Promise<number> {
  const all = new Int32Array(context.length + continuation.length);
  all.set(context);
  all.set(continuation, context.length);
  const input = all.subarray(Math.max(0, all.length - 1 - engine.contextLength), all.length - 1);
  const first = input.length - continuation.length; // row predicting continuation[0]
  let sum = 0, pos = 0;
  for await (const row of engine.window(input, signal)) {
    if (pos >= first) sum += row[continuation[pos - first]!]! - logSumExp(row);
    pos++;
  }
  return sum;
}

/** Accuracy of `engine` on `items` (context encoded with BOS, each choice encoded after it). */
export async function scoreChoices(engine: LogitsEngine, tokenizer: Tokenizer, items: ChoiceItem[], signal?: AbortSignal): Promise<ChoiceResult> {
  let right = 0, rightNorm = 0;
  for (const item of items) {
    const ctx = tokenizer.encode(item.context, { bos: true });
    let best = -Infinity, bestNorm = -Infinity, pick = -1, pickNorm = -1;
    for (const [c, choice] of item.choices.entries()) {
      // harness: continuation = encode(context + choice) minus the context's tokens
      const whole = tokenizer.encode(item.context + choice, { bos: true });
      const cont = whole.subarray(Math.min(ctx.length, whole.length - 1));
      const ll = await loglik(engine, whole.subarray(0, whole.length - cont.length), cont, signal);
      const norm = ll / Math.max(choice.length, 1);
      if (ll > best) { best = ll; pick = c; }
      if (norm > bestNorm) { bestNorm = norm; pickNorm = c; }
    }
    if (pick === item.answer) right++;
    if (pickNorm === item.answer) rightNorm++;
  }
  return { mc_accuracy: right / items.length, mc_accuracy_norm: rightNorm / items.length, mc_items: items.length };
}
