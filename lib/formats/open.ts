/**
 * `openModel(input, options)`: the one way to open a model, in the browser, the CLI and the
 * tests. The input is handed to a runtime adapter that finds where the model lies (picked
 * Files/Blobs: open-files.ts; URLs and `hf:` ids: open-http.ts; local paths: the `runtime`
 * option, nodeRuntime from open-node.ts in Node), and the resolver (open-folder.ts) opens the
 * reader for that place. This file imports no node:fs, so the browser bundle can import it.
 */
import { FormatError } from "./errors.ts";
import { openLocation } from "./open-folder.ts";
import { blobLocation, fileListSet } from "./open-files.ts";
import { isHttpSpec, locateHttp, type HttpOptions } from "./open-http.ts";
import type { ModelLocation, ModelRuntime, TensorSource } from "./types.ts";

/** What a user can hand over: path/URL/`hf:` id, a File or Blob, or a folder's files. */
export type ModelSpec = string | Blob | File | File[];

export interface OpenModelOptions extends HttpOptions {
  /** reads local paths (nodeRuntime in Node); without it, a path is refused */
  runtime?: ModelRuntime;
}

/** Opens a model from a URL, an `hf:` id, a File/Blob, a list of Files (a picked folder) or, with a runtime, a local path. */
export async function openModel(input: ModelSpec, opts: OpenModelOptions = {}): Promise<TensorSource> {
  return openLocation(await locate(input, opts));
}

/** The adapter for `input`: where the model lies. */
function locate(input: ModelSpec, opts: OpenModelOptions): Promise<ModelLocation> {
  if (Array.isArray(input)) return Promise.resolve({ kind: "folder", set: fileListSet(input) });
  if (typeof input !== "string") return Promise.resolve(blobLocation(input));
  if (isHttpSpec(input)) return locateHttp(input, { ...opts, token: opts.token ?? opts.runtime?.hubToken?.() });
  if (opts.runtime) return opts.runtime.locate(input);
  throw new FormatError(input, "path", "local paths need a runtime that reads files (nodeRuntime from open-node.ts), not the browser");
}
