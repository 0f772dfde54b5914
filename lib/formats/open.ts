/**
 * `openModel(spec)`: one entry for every way a user names a model, without node:fs (the
 * browser imports this; Node paths go through open-node.ts). A model is either one file
 * (dispatched by magic and extension) or a folder-like FileSet (local folder, File[]
 * selection, Hub repo, URL directory) holding config.json + safetensors or one .gguf/.onnx.
 */
import { FormatError } from "./errors.ts";
import { hubFileUrl, parseHfSpec, parseHubUrl, type HubRef } from "./hub.ts";
import { blobSource } from "./source-blob.ts";
import { HttpStatusError, openHttpSource } from "./source-http.ts";
import { openFile, type FileSet } from "./open-files.ts";
import { openFileSet } from "./open-folder.ts";
import type { ByteSource, TensorSource } from "./types.ts";

export { configFromHf, openFile, type FileSet } from "./open-files.ts";
export { openFileSet } from "./open-folder.ts";

/** What a user can hand over: path/URL/`hf:` id, a File or Blob, or a folder's files. */
export type ModelSpec = string | Blob | File | File[];

export interface OpenModelOptions {
  /** request headers for http(s) and hf: (e.g. Authorization) */
  headers?: Record<string, string>;
  /** Hugging Face access token; sent as `Authorization: Bearer ...` */
  token?: string;
  /** Hub endpoint (default $QUANTLENS_HF_ENDPOINT or https://huggingface.co) */
  endpoint?: string;
}

const MODEL_FILE_RE = /\.(safetensors|gguf|bin|onnx)$/i;

/** Opens a model from a URL, an `hf:` id, a File/Blob or a list of Files (a picked folder). */
export async function openModel(spec: ModelSpec, opts: OpenModelOptions = {}): Promise<TensorSource> {
  if (Array.isArray(spec)) return openFileSet(fileListSet(spec));
  if (typeof spec !== "string") return openFile(blobSource(spec), {});
  if (spec.startsWith("hf:")) return openHub(parseHfSpec(spec, opts)!, spec, opts);
  if (/^https?:\/\//i.test(spec)) {
    const hub = parseHubUrl(spec);
    if (hub?.file) return openUrlFile(hubFileUrl(hub, hub.file), spec, opts); // `/blob/` pages → `/resolve/`
    const path = new URL(spec).pathname;
    if (MODEL_FILE_RE.test(path) || path.endsWith(".safetensors.index.json")) return openUrlFile(spec, spec, opts);
    if (hub) return openHub(hub, spec, opts);
    throw new FormatError(spec, "URL", "names neither a model file (.safetensors/.gguf/.bin/.onnx) nor a Hub repo");
  }
  throw new FormatError(spec, "path", "local paths are opened by openModelNode (open-node.ts), not in the browser");
}

function httpHeaders(opts: OpenModelOptions): Record<string, string> {
  return { ...(opts.token ? { Authorization: `Bearer ${opts.token}` } : {}), ...opts.headers };
}

/** Opens `url`, or null on 404 (an optional file such as config.json). */
async function openUrl(url: string, opts: OpenModelOptions): Promise<ByteSource | null> {
  try {
    return await openHttpSource(url, { headers: httpHeaders(opts) });
  } catch (e) {
    if (e instanceof HttpStatusError && e.status === 404) return null;
    throw e;
  }
}

/** A directory on a web server: files are `base + name`; paths leaving it (`..`) count as absent. */
function urlSet(base: string, name: string, opts: OpenModelOptions): FileSet {
  return {
    name,
    open: async (file) => {
      const segs = file.split("/");
      if (segs.some((s) => s === "" || s === "." || s === "..")) return null;
      return openUrl(new URL(segs.map(encodeURIComponent).join("/"), base).href, opts);
    },
  };
}

/** A repo (or one file in it) on the Hub or a server with its layout. */
async function openHub(ref: HubRef, spec: string, opts: OpenModelOptions): Promise<TensorSource> {
  const root = hubFileUrl(ref, "");
  if (!ref.file) return openFileSet(urlSet(root, spec, opts), { name: spec });
  return openUrlFile(hubFileUrl(ref, ref.file), spec, opts);
}

/** One file by URL; its siblings (config.json, shards, ONNX external data) are next to it. */
async function openUrlFile(url: string, spec: string, opts: OpenModelOptions): Promise<TensorSource> {
  const dir = new URL(".", url).href;
  const set = urlSet(dir, spec, opts);
  const file = decodeURIComponent(new URL(url).pathname.split("/").pop()!);
  if (file.endsWith(".safetensors.index.json")) return openFileSet(set, { name: spec, index: file });
  const src = await openUrl(url, opts);
  if (!src) throw new HttpStatusError(url, 404, "Not Found");
  return openFile(src, { name: spec, sibling: set.open });
}

/** Files picked in the browser (`<input type=file multiple webkitdirectory>`), by base name. */
export function fileListSet(files: File[]): FileSet {
  const byName = new Map(files.map((f) => [f.name, f]));
  const first = files[0]?.webkitRelativePath?.split("/")[0] || files[0]?.name || "files";
  return {
    name: first,
    list: async () => [...byName.keys()],
    open: async (name) => {
      const f = byName.get(name.split("/").pop()!);
      return f ? blobSource(f, f.name) : null;
    },
  };
}

