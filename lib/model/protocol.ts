/**
 * The evaluation protocol (CONTRACT): documents are separated by lines `<|endoftext|>`; each is
 * tokenized with BOS; a document longer than the context is cut into consecutive windows of at
 * most contextLength input tokens, window k+1 starting at the last token of window k, each run
 * from an empty cache, so every token after BOS is predicted exactly once.
 */

export const DOCUMENT_SEPARATOR = "<|endoftext|>";

/** The documents of `text`: split on lines holding only `<|endoftext|>`, trimmed, empty ones dropped. */
export function splitDocuments(text: string): string[] {
  return text
    .split(/\r?\n/)
    .reduce<string[][]>((docs, line) => {
      if (line.trim() === DOCUMENT_SEPARATOR) docs.push([]);
      else docs.at(-1)!.push(line);
      return docs;
    }, [[]])
    .map((lines) => lines.join("\n").trim())
    .filter((d) => d.length > 0);
}

/** One window: `input` runs from an empty cache; logits at rows [0, input.length - 1) predict input[1..]. */
export interface Window { input: Int32Array; /** tokens predicted: input.length - 1 */ predicted: number }

/** Windows of one tokenized document (BOS first) for a model of `contextLength` tokens. */
export function documentWindows(ids: Int32Array, contextLength: number): Window[] {
  if (contextLength < 2) throw new RangeError(`windows: context length ${contextLength} cannot predict a token`);
  const out: Window[] = [];
  for (let start = 0; start < ids.length - 1; start += contextLength - 1) {
    const input = ids.subarray(start, Math.min(ids.length, start + contextLength));
    out.push({ input, predicted: input.length - 1 });
  }
  return out;
}
