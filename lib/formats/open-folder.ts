/**
 * The resolver: a ModelLocation (from a runtime adapter) → the reader for it. One file is
 * dispatched by magic and extension; a folder by the Hugging Face layout: config.json with
 * model.safetensors.index.json (weight_map → shards) or model.safetensors, else the one
 * model file it holds (.safetensors, .gguf, .onnx, llama2.c .bin). Every file is reached
 * through the location's FileSet / sibling opener, never directly. Readers for GGUF,
 * llama2.c and ONNX are imported lazily so a page that opens safetensors does not load them.
 */
import { FormatError } from "./errors.ts";
import { configFromHf, readJson } from "./hf-config.ts";
import { INDEX_FILE, openIndexed } from "./safetensors-index.ts";
import { openSafetensors } from "./safetensors.ts";
import type { ByteSource, FileSet, ModelLocation, SiblingOpener, TensorSource } from "./types.ts";

const GGUF_MAGIC_BYTES = [0x47, 0x47, 0x55, 0x46]; // "GGUF"
const JSON_OPEN_BRACE = 0x7b;
/** Kinds of model file, in the order a folder is searched for one. */
const MODEL_KINDS: [RegExp, string][] = [
  [/\.safetensors\.index\.json$/i, "safetensors index"],
  [/\.safetensors$/i, ".safetensors"],
  [/\.gguf$/i, ".gguf"],
  [/\.onnx$/i, ".onnx"],
  [/^(?!pytorch_model|tok).*\.bin$/i, "llama2.c .bin"], // not PyTorch pickles, not llama2.c tokenizers
];

/** Opens the model at `loc`: one file, or a folder. */
export function openLocation(loc: ModelLocation): Promise<TensorSource> {
  return loc.kind === "file" ? openFile(loc.src, { name: loc.name, sibling: loc.sibling }) : openFileSet(loc.set, loc);
}

export interface OpenFileOptions {
  /** what the user opened (defaults to the file's name) */
  name?: string;
  /** opens files beside this one: config.json, ONNX external data */
  sibling?: SiblingOpener;
  /** config.json already read by the caller */
  configJson?: Record<string, unknown> | null;
}

const extOf = (name: string) => /\.([A-Za-z0-9]+)(?:[?#].*)?$/.exec(name)?.[1]?.toLowerCase() ?? "";

/** Opens one model file: GGUF by magic, else .onnx, safetensors (extension or header shape), llama2.c .bin. */
export async function openFile(src: ByteSource, opts: OpenFileOptions = {}): Promise<TensorSource> {
  const name = opts.name ?? src.name;
  try {
    const head = await src.read(0, Math.min(9, src.size));
    const ext = extOf(src.name);
    if (GGUF_MAGIC_BYTES.every((b, i) => head[i] === b)) return await (await import("./gguf.ts")).openGguf(src, { name });
    if (ext === "onnx") {
      const resolveExternal = async (location: string) => {
        const s = opts.sibling ? await opts.sibling(location) : null;
        if (!s) throw new FormatError(src.name, `external data "${location}"`, "not found next to the model");
        return s;
      };
      return await (await import("./onnx.ts")).openOnnx(src, { name, resolveExternal });
    }
    const n = head.length === 9 ? new DataView(head.buffer, head.byteOffset).getBigUint64(0, true) : -1n;
    if (ext === "safetensors" || (n > 1n && 8n + n <= BigInt(src.size) && head[8] === JSON_OPEN_BRACE)) {
      const json = opts.configJson !== undefined ? opts.configJson : opts.sibling ? await readJson(opts.sibling, "config.json") : null;
      return await openSafetensors(src, { name, config: json ? configFromHf(json) : undefined, metadata: json ? { config: json } : {} });
    }
    if (ext === "bin") return await (await import("./llama2c.ts")).openLlama2c(src, { name });
    throw new FormatError(src.name, "format", "not a model file quantlens reads (.safetensors, .gguf, llama2.c .bin, .onnx)");
  } catch (e) {
    await src.close().catch(() => undefined);
    throw e;
  }
}

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
