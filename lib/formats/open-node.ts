/**
 * Node adapter: `nodeRuntime` lets openModel read local files and folders (and sends
 * $HF_TOKEN to the Hub). Only the CLI, scripts and Node tests import this (it uses node:fs);
 * the browser never does. Every file system access of a folder goes through `openIn`/`listFiles`.
 */
import { readdir, realpath, stat } from "node:fs/promises";
import { basename, dirname, join, resolve, sep } from "node:path";
import { FormatError } from "./errors.ts";
import { openFileSource } from "./source-node.ts";
import type { ByteSource, FileSet, ModelLocation, ModelRuntime } from "./types.ts";

/**
 * The folder links in `dir` may point into: `dir` itself (real path), or for a Hugging Face cache
 * snapshot (`models--org--name/snapshots/<rev>`, files linking to `../../blobs/<hash>`) the repo folder.
 */
async function linkRoot(dir: string): Promise<string> {
  const real = await realpath(dir);
  const snapshots = dirname(real);
  const repo = dirname(snapshots);
  return basename(snapshots) === "snapshots" && /^(models|datasets)--/.test(basename(repo)) ? repo : real;
}

/**
 * Opens `file` inside `dir`, or null when there is no such file. Symlinks are followed only to
 * files inside the folder (linkRoot): a link elsewhere (`data.bin -> /secret`) is a FormatError;
 * a FIFO, socket or device is refused without opening it (opening a FIFO blocks).
 */
async function openIn(dir: string, file: string): Promise<ByteSource | null> {
  const p = join(dir, file);
  if (!resolve(p).startsWith(resolve(dir) + sep)) return null; // stays inside the folder, by name
  let real: string;
  try {
    real = await realpath(p);
  } catch {
    return null; // absent, or a dangling link
  }
  const root = await linkRoot(dir);
  if (!real.startsWith(root + sep)) throw new FormatError(p, "path", `links to ${real}, outside the folder ${dir}`);
  const st = await stat(real);
  if (st.isDirectory()) return null;
  if (!st.isFile()) throw new FormatError(p, "open", "not a regular file (FIFO, socket or device)");
  return openFileSource(real, p);
}

/** The regular files (and links, checked when opened) directly in `dir`. */
async function listFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() || e.isSymbolicLink()).map((e) => e.name);
}

/** A local folder as a FileSet. */
export function folderSet(dir: string): FileSet {
  return { name: dir, list: () => listFiles(dir), open: (file) => openIn(dir, file) };
}

/** Where a local path points: a folder, a shard index in its folder, or one file beside its siblings. */
async function locatePath(path: string): Promise<ModelLocation> {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    throw new FormatError(path, "path", (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or folder" : (e as Error).message);
  }
  if (st.isDirectory()) return { kind: "folder", set: folderSet(path) };
  const dir = dirname(path);
  if (basename(path).endsWith(".safetensors.index.json")) return { kind: "folder", set: folderSet(dir), name: path, index: basename(path) };
  return { kind: "file", src: await openFileSource(path), name: path, sibling: (f) => openIn(dir, f) };
}

/** Node's runtime for openModel: local paths, and $HF_TOKEN for the Hub. */
export const nodeRuntime: ModelRuntime = {
  locate: locatePath,
  hubToken: () => process.env.HF_TOKEN || undefined,
};
