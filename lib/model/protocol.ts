/**
 * The evaluation protocol (CONTRACT, DESIGN.md): documents are separated by lines `<|endoftext|>`;
 * each is tokenized with BOS, giving t[0..n-1]. With S the context length, window k feeds
 * t[a_k .. a_k+S-1] (fewer at the end) from an empty cache and its logits at every input position
 * predict t[a_k+1 .. a_k+S]; a_0 = 0, a_{k+1} = a_k + S. Every token after BOS is predicted exactly
 * once, every logit computed is used, and the last target of window k is the first input of window k+1.
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

/** One window: `input` runs from an empty cache; the logits at row i predict targets[i] (= the next token). */
export interface Window {
  input: Int32Array;
  targets: Int32Array; // (input.length): t[a_k+1 .. a_k+n_k]
  /** tokens predicted: input.length */
  predicted: number;
}

/** Windows of one tokenized document (BOS first) with S = `contextLength` inputs per window. */
export function documentWindows(ids: Int32Array, contextLength: number): Window[] {
  if (!(Number.isSafeInteger(contextLength) && contextLength >= 1)) throw new RangeError(`windows: context length ${contextLength} must be a positive integer`);
  const out: Window[] = [];
  for (let a = 0; a < ids.length - 1; a += contextLength) {
    const n = Math.min(contextLength, ids.length - 1 - a);
    out.push({ input: ids.subarray(a, a + n), targets: ids.subarray(a + 1, a + 1 + n), predicted: n });
  }
  return out;
}
