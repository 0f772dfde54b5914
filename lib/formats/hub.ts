/**
 * Hugging Face Hub references: `hf:org/name[@revision][/path/to/file]` and repo URLs
 * (`https://huggingface.co/org/name[/tree/rev]`, or any host serving the Hub's
 * `/{org}/{name}/resolve/{rev}/{file}` layout) → file URLs. The endpoint can be
 * overridden (option, or env QUANTLENS_HF_ENDPOINT) so tests use a local server.
 */
import { FormatError } from "./errors.ts";

/** The public Hub; every file is at `${endpoint}/{org}/{name}/resolve/{rev}/{file}`. */
export const DEFAULT_HF_ENDPOINT = "https://huggingface.co";
export const DEFAULT_REVISION = "main";

/** Hub names: letters, digits, `-`, `_`, `.` (no leading `.`/`-`), at most 96 characters. */
const NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,95}$/;
/** Branch, tag or commit; `refs/pr/N` and `refs/convert/x` are the Hub's special refs. */
const REVISION_RE = /^(?:[A-Za-z0-9_][A-Za-z0-9._-]{0,255}|refs\/(?:pr\/\d+|convert\/[A-Za-z0-9._-]+))$/;
const SEGMENT_RE = /^[A-Za-z0-9_][A-Za-z0-9._+=-]{0,254}$/;

/** A repo on the Hub (or a server with its layout), optionally one file in it. */
export interface HubRef {
  endpoint: string;
  org: string;
  name: string;
  revision: string;
  /** path inside the repo when the spec names one file (`hf:org/name/model.gguf`) */
  file?: string;
}

/** Endpoint in force: the option, else $QUANTLENS_HF_ENDPOINT, else the public Hub. */
export function hubEndpoint(override?: string): string {
  const env = typeof process !== "undefined" ? process.env?.QUANTLENS_HF_ENDPOINT : undefined;
  return (override || env || DEFAULT_HF_ENDPOINT).replace(/\/+$/, "");
}

function check(spec: string, field: string, value: string, re: RegExp): string {
  if (!re.test(value) || value.includes("..")) {
    throw new FormatError(spec, field, `"${value}" is not a valid Hub ${field} (letters, digits, "-", "_", ".")`);
  }
  return value;
}

function build(spec: string, endpoint: string, org: string, name: string, revision: string, file: string): HubRef {
  const ref: HubRef = {
    endpoint,
    org: check(spec, "organisation", org, NAME_RE),
    name: check(spec, "repository name", name, NAME_RE),
    revision: check(spec, "revision", revision, REVISION_RE),
  };
  if (file) {
    for (const seg of file.split("/")) check(spec, "file path", seg, SEGMENT_RE);
    ref.file = file;
  }
  return ref;
}

/** Parses `hf:org/name[@rev][/file]`; null when `spec` does not start with `hf:`. */
export function parseHfSpec(spec: string, opts: { endpoint?: string } = {}): HubRef | null {
  if (!spec.startsWith("hf:")) return null;
  const m = /^hf:(?:\/\/)?([^/@]*)\/([^/@]*)(?:@([^/]+(?:\/pr\/\d+)?))?(?:\/(.+))?$/.exec(spec);
  if (!m) throw new FormatError(spec, "hub id", "expected hf:org/name[@revision][/file]");
  return build(spec, hubEndpoint(opts.endpoint), m[1]!, m[2]!, m[3] ?? DEFAULT_REVISION, m[4] ?? "");
}

/**
 * Parses an http(s) URL in the Hub's layout: `/org/name`, `/org/name/tree/rev[/dir]`,
 * `/org/name/{resolve,blob}/rev/file`. Returns null for other URLs (a plain file URL).
 */
export function parseHubUrl(url: string): HubRef | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return null;
  let parts: string[];
  try {
    parts = u.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    throw new FormatError(url, "URL", "bad percent-encoding in the path");
  }
  const [org, name, kind, rev, ...rest] = parts;
  if (!org || !name) return null;
  if (parts.length === 2) return build(url, u.origin, org, name, DEFAULT_REVISION, "");
  if (!rev || !["tree", "resolve", "blob"].includes(kind!)) return null;
  const file = kind === "tree" ? "" : rest.join("/");
  if (kind !== "tree" && !file) return null;
  return build(url, u.origin, org, name, rev, file);
}

/** URL of `file` in the repo: `${endpoint}/{org}/{name}/resolve/{rev}/{file}`. */
export function hubFileUrl(ref: HubRef, file: string): string {
  const path = file.split("/").map(encodeURIComponent).join("/");
  return `${ref.endpoint}/${ref.org}/${ref.name}/resolve/${encodeURIComponent(ref.revision)}/${path}`;
}
