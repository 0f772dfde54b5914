/**
 * Opens a folder-like FileSet in the Hugging Face layout: config.json with
 * model.safetensors.index.json (weight_map → shards) or model.safetensors; else the one
 * model file it holds (.safetensors, .gguf, .onnx, llama2.c .bin).
 */
import { FormatError, checkCount } from "./errors.ts";
import { MAX_SHARDS } from "./limits.ts";
import { configFromHf, openFile, readJson, type FileSet } from "./open-files.ts";
import { openSafetensors } from "./safetensors.ts";
import type { ByteSource, TensorSource } from "./types.ts";

export const INDEX_FILE = "model.safetensors.index.json";
/** Kinds of model file, in the order a folder is searched for one. */
const MODEL_KINDS: [RegExp, string][] = [
  [/\.safetensors\.index\.json$/i, "safetensors index"],
  [/\.safetensors$/i, ".safetensors"],
  [/\.gguf$/i, ".gguf"],
  [/\.onnx$/i, ".onnx"],
  [/^(?!pytorch_model|tok).*\.bin$/i, "llama2.c .bin"], // not PyTorch pickles, not llama2.c tokenizers
];

/** A relative path that stays inside the folder (no absolute path, no `..`). */
const SAFE_PATH_RE = /^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[^\\\0]+$/;

/** The one model file among `files`, or null; several of the same kind is an error. */
export function pickModelFile(name: string, files: string[]): string | null {
  for (const [re, kind] of MODEL_KINDS) {
    const hits = files.filter((f) => re.test(f)).sort();
    if (hits.length === 1) return hits[0]!;
    if (hits.length > 1) throw new FormatError(name, "folder", `holds several ${kind} files (${hits.join(", ")}); open one of them`);
  }
  return null;
}

/** Opens a model from a folder-like FileSet; `index` names a shard index to use. */
export async function openFileSet(set: FileSet, opts: { name?: string; index?: string } = {}): Promise<TensorSource> {
  const name = opts.name ?? set.name;
  const configJson = await readJson(set.open, "config.json");
  let indexFile = opts.index ?? INDEX_FILE;
  let index = await readJson(set.open, indexFile);
  if (!index && !opts.index) {
    const single = await set.open("model.safetensors");
    if (single) return openFile(single, { name, sibling: set.open, configJson });
    const pick = pickModelFile(name, (await set.list?.()) ?? []);
    if (!pick) {
      const hint = set.list ? "" : "; to open one .gguf/.onnx/.bin file of a repo, name it (hf:org/name/file.gguf)";
      throw new FormatError(name, "folder", `holds no model.safetensors, model.safetensors.index.json, .gguf, .onnx or llama2.c .bin file${hint}`);
    }
    if (!pick.endsWith(".json")) {
      const src = await set.open(pick);
      if (!src) throw new FormatError(name, `file "${pick}"`, "is listed but cannot be opened");
      return openFile(src, { name, sibling: set.open, configJson });
    }
    indexFile = pick;
    index = await readJson(set.open, pick);
  }
  if (!index) throw new FormatError(name, indexFile, "not found");
  return openIndexed(set, name, indexFile, index, configJson);
}

/** Opens the shards named by an index's weight_map and checks each tensor is where it says. */
async function openIndexed(
  set: FileSet, name: string, indexFile: string, index: Record<string, unknown>, configJson: Record<string, unknown> | null,
): Promise<TensorSource> {
  const where = `${name}/${indexFile}`;
  const wm = index["weight_map"];
  if (typeof wm !== "object" || wm === null || Array.isArray(wm)) throw new FormatError(where, "weight_map", "is not an object");
  const map = wm as Record<string, unknown>;
  const files: string[] = [];
  for (const [tensor, f] of Object.entries(map)) {
    if (typeof f !== "string" || !SAFE_PATH_RE.test(f)) {
      throw new FormatError(where, `weight_map "${tensor}"`, `${JSON.stringify(f)} is not a file inside the folder`);
    }
    if (!files.includes(f)) files.push(f);
  }
  checkCount(where, "shard count", files.length, MAX_SHARDS);
  if (files.length === 0) throw new FormatError(where, "weight_map", "names no shard");
  const opened = await Promise.allSettled(files.map((f) => set.open(f)));
  const shards = opened.map((r) => (r.status === "fulfilled" ? r.value : null));
  const closeAll = () => Promise.all(shards.map((s) => s?.close().catch(() => undefined)));
  const failed = opened.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) { await closeAll(); throw failed.reason; }
  const missing = files.find((_, i) => !shards[i]);
  if (missing) { await closeAll(); throw new FormatError(where, `shard "${missing}"`, "is missing"); }
  try {
    const source = await openSafetensors(shards as ByteSource[], {
      name, config: configJson ? configFromHf(configJson) : undefined,
      metadata: { ...(configJson ? { config: configJson } : {}), index },
    });
    for (const t of source.tensors) {
      const want = map[t.fileName];
      if (want !== undefined && want !== files[t.shard]) {
        throw new FormatError(where, `weight_map "${t.fileName}"`, `says ${String(want)}, but the tensor is in ${files[t.shard]}`);
      }
    }
    const found = new Set(source.tensors.map((t) => t.fileName));
    const absent = Object.keys(map).find((t) => !found.has(t));
    if (absent) throw new FormatError(where, `weight_map "${absent}"`, `not found in ${String(map[absent])}`);
    return source;
  } catch (e) {
    await closeAll();
    throw e;
  }
}
