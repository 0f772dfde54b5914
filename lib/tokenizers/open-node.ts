/**
 * Node-only path helper over open.ts: reads a tokenizer file, or finds one in a model folder,
 * and picks up the tokenizer_config.json that sits beside a tokenizer.json.
 */
import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { openTokenizerFile, type OpenTokenizerOptions } from "./open.ts";
import type { Tokenizer } from "./types.ts";

/** File names looked for, in order, when `path` is a folder. */
export const TOKENIZER_FILE_NAMES = ["tokenizer.json", "tokenizer.bin", "tok512.bin"];

/** A Tokenizer from a file path or a model folder (tokenizer.json, tokenizer.bin, tok512.bin). */
export async function openTokenizerPath(path: string, opts: OpenTokenizerOptions = {}): Promise<Tokenizer> {
  let file = path;
  if (statSync(path).isDirectory()) {
    const found = TOKENIZER_FILE_NAMES.map((n) => join(path, n)).find((p) => existsSync(p));
    if (!found) throw new Error(`${path}: no tokenizer file (looked for ${TOKENIZER_FILE_NAMES.join(", ")})`);
    file = found;
  }
  const bytes = new Uint8Array(await readFile(file));
  const configPath = join(dirname(file), "tokenizer_config.json");
  const o = { ...opts };
  if (o.tokenizerConfig === undefined && basename(file).endsWith(".json") && existsSync(configPath)) {
    o.tokenizerConfig = await readFile(configPath, "utf8");
  }
  return openTokenizerFile(bytes, file, o);
}
