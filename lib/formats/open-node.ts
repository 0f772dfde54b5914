/**
 * Node entry: `openModelNode(spec)` adds local files and folders to what `openModel`
 * opens (URLs, `hf:` ids). Only the CLI and Node tests import this (it uses node:fs).
 */
import { readdir, stat } from "node:fs/promises";
import { basename, dirname, join, resolve, sep } from "node:path";
import { FormatError } from "./errors.ts";
import { openModel, type OpenModelOptions } from "./open.ts";
import { openFile, type FileSet } from "./open-files.ts";
import { openFileSet } from "./open-folder.ts";
import { openFileSource } from "./source-node.ts";
import type { ByteSource, TensorSource } from "./types.ts";

/** Opens `path` inside `dir`, or null when there is no such file. */
async function openIn(dir: string, file: string): Promise<ByteSource | null> {
  const p = join(dir, file);
  if (!resolve(p).startsWith(resolve(dir) + sep)) return null; // stays inside the folder
  try {
    if (!(await stat(p)).isFile()) return null;
  } catch {
    return null;
  }
  return openFileSource(p);
}

/** A local folder as a FileSet. */
export function folderSet(dir: string): FileSet {
  return {
    name: dir,
    list: async () => (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name),
    open: (file) => openIn(dir, file),
  };
}

/** Opens a local file or folder, a URL or an `hf:` id; `HF_TOKEN` is sent to the Hub when set. */
export async function openModelNode(spec: string, opts: OpenModelOptions = {}): Promise<TensorSource> {
  if (/^(?:hf:|https?:\/\/)/i.test(spec)) {
    return openModel(spec, { token: process.env.HF_TOKEN || undefined, ...opts });
  }
  let st;
  try {
    st = await stat(spec);
  } catch (e) {
    throw new FormatError(spec, "path", (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or folder" : (e as Error).message);
  }
  if (st.isDirectory()) return openFileSet(folderSet(spec));
  const dir = dirname(spec);
  if (basename(spec).endsWith(".safetensors.index.json")) return openFileSet(folderSet(dir), { name: spec, index: basename(spec) });
  return openFile(await openFileSource(spec), { name: spec, sibling: (f) => openIn(dir, f) });
}
