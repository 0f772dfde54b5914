/**
 * One name, one tensor. JSON.parse keeps the last of two equal keys and the GGUF/ONNX readers
 * map file names to Hugging Face names, so a crafted or broken file could list a tensor twice
 * (or lose one) and die much later on a store primary key. Each reader calls these checks.
 */
import { FormatError } from "./errors.ts";
import type { TensorInfo } from "./types.ts";

/** Throws FormatError when two tensors share a (Hugging Face) name, naming both file names. */
export function checkUniqueNames(file: string, tensors: readonly TensorInfo[]): void {
  const seen = new Map<string, TensorInfo>();
  for (const t of tensors) {
    const other = seen.get(t.name);
    if (other) {
      throw new FormatError(file, `tensor "${t.name}"`, `two tensors have this name: "${other.fileName}" and "${t.fileName}"`);
    }
    seen.set(t.name, t);
  }
}

/**
 * The first key repeated in the top-level object of `text` (valid JSON, already parsed), or
 * null. One linear pass: strings are skipped whole, depth counted outside them.
 */
export function duplicateTopLevelKey(text: string): string | null {
  const seen = new Set<string>();
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      let j = i + 1;
      while (text.charCodeAt(j) !== 34) j += text.charCodeAt(j) === 92 /* \ */ ? 2 : 1;
      if (depth === 1 && expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (seen.has(key)) return key;
        seen.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      depth++;
      if (depth === 1) expectKey = c === 123;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      depth--;
    } else if (c === 44 /* , */ && depth === 1) {
      expectKey = true;
    }
  }
  return null;
}
