/**
 * HTTP adapter (any runtime with fetch): a model file by URL, a Hub repo or one file in it
 * (`hf:` ids, Hub URLs) → a ModelLocation. Files are read by Range requests; siblings
 * (config.json, shards, ONNX external data) are the URLs next to the model.
 */
import { FormatError } from "./errors.ts";
import { hubEndpoint, hubFileUrl, parseHfSpec, parseHubUrl, type HubRef } from "./hub.ts";
import { httpOrigin } from "./http-redirect.ts";
import { HttpStatusError, openHttpSource } from "./source-http.ts";
import type { ByteSource, FileSet, ModelLocation } from "./types.ts";

export interface HttpOptions {
  /** request headers for http(s) and hf: (e.g. Authorization): sent only to the origin of the URL named */
  headers?: Record<string, string>;
  /** Hugging Face access token; sent as `Authorization: Bearer ...` to the Hub endpoint's origin only */
  token?: string;
  /** Hub endpoint (default $QUANTLENS_HF_ENDPOINT or https://huggingface.co) */
  endpoint?: string;
}

const MODEL_FILE_RE = /\.(safetensors|gguf|bin|onnx)$/i;

/** True when `spec` is read over HTTP: an `hf:` id or an http(s) URL. */
export const isHttpSpec = (spec: string): boolean => spec.startsWith("hf:") || /^https?:\/\//i.test(spec);

/** Where the model named by an `hf:` id or URL lies. */
export async function locateHttp(spec: string, opts: HttpOptions): Promise<ModelLocation> {
  if (spec.startsWith("hf:")) return locateHub(parseHfSpec(spec, opts)!, spec, opts);
  httpOrigin(spec, spec); // FormatError for `http://`, `http://[::1`, ...
  const hub = parseHubUrl(spec);
  if (hub?.file) return locateUrlFile(hubFileUrl(hub, hub.file), spec, opts); // `/blob/` pages → `/resolve/`
  const path = new URL(spec).pathname;
  if (MODEL_FILE_RE.test(path) || path.endsWith(".safetensors.index.json")) return locateUrlFile(spec, spec, opts);
  if (hub) return locateHub(hub, spec, opts);
  throw new FormatError(spec, "URL", "names neither a model file (.safetensors/.gguf/.bin/.onnx) nor a Hub repo");
}

/**
 * Secret headers for `url`: the token only when `url` is on the Hub endpoint's origin (never
 * to another server the user names); `opts.headers` to the URL's own origin. source-http
 * drops both on a redirect to another origin.
 */
function credentialsFor(url: string, opts: HttpOptions): Record<string, string> {
  const onHub = httpOrigin(url, url) === httpOrigin("Hub endpoint", hubEndpoint(opts.endpoint));
  return { ...(opts.token && onHub ? { Authorization: `Bearer ${opts.token}` } : {}), ...opts.headers };
}

/** Opens `url`, or null on 404 (an optional file such as config.json). */
async function openUrl(url: string, opts: HttpOptions): Promise<ByteSource | null> {
  try {
    return await openHttpSource(url, { credentials: credentialsFor(url, opts) });
  } catch (e) {
    if (e instanceof HttpStatusError && e.status === 404) return null;
    throw e;
  }
}

/** A directory on a web server: files are `base + name`; paths leaving it (`..`) count as absent. */
function urlSet(base: string, name: string, opts: HttpOptions): FileSet {
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
function locateHub(ref: HubRef, spec: string, opts: HttpOptions): Promise<ModelLocation> {
  if (!ref.file) return Promise.resolve({ kind: "folder", set: urlSet(hubFileUrl(ref, ""), spec, opts), name: spec });
  return locateUrlFile(hubFileUrl(ref, ref.file), spec, opts);
}

/** One file by URL; its siblings (config.json, shards, ONNX external data) are next to it. */
async function locateUrlFile(url: string, spec: string, opts: HttpOptions): Promise<ModelLocation> {
  const set = urlSet(new URL(".", url).href, spec, opts);
  const file = decodeUrlPart(spec, new URL(url).pathname.split("/").pop()!);
  if (file.endsWith(".safetensors.index.json")) return { kind: "folder", set, name: spec, index: file };
  const src = await openUrl(url, opts);
  if (!src) throw new HttpStatusError(url, 404, "Not Found");
  return { kind: "file", src, name: spec, sibling: set.open };
}

/** decodeURIComponent, with bad percent-encoding a FormatError naming the spec. */
export function decodeUrlPart(spec: string, part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new FormatError(spec, "URL", `bad percent-encoding in "${part.slice(0, 200)}"`);
  }
}
