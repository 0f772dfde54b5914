/**
 * Evaluation documents as a re-readable stream: the evaluator makes one pass to count tokens (for
 * progress) and one pass per spec, holding one document's tokens at a time, so memory does not
 * grow with the length of the text. Browser-safe; the CLI streams a file's lines into it.
 */
import { DOCUMENT_SEPARATOR, splitDocuments } from "../model/protocol.ts";

/** A source of documents that can be read again from the start. */
export type Documents = () => AsyncIterable<string>;

/** The documents of a text already in memory. */
export function textDocuments(text: string): Documents {
  return async function* () { yield* splitDocuments(text); };
}

/** Documents of a stream of lines (without line ends), split on lines holding only `<|endoftext|>`, as splitDocuments does. */
export async function* linesToDocuments(lines: AsyncIterable<string>): AsyncIterable<string> {
  let doc: string[] = [];
  const flush = function* () {
    const d = doc.join("\n").trim();
    doc = [];
    if (d) yield d;
  };
  for await (const line of lines) {
    if (line.trim() === DOCUMENT_SEPARATOR) yield* flush();
    else doc.push(line.endsWith("\r") ? line.slice(0, -1) : line);
  }
  yield* flush();
}
