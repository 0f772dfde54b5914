/**
 * Error messages a user understands: a plain lead sentence saying what is wrong, then the precise
 * technical line (file, field, detail) unchanged. Shared by the dashboard's analysis (session.ts)
 * and the evaluation worker (worker-protocol.ts). Browsers report a server without CORS headers
 * and an unreachable one as the same TypeError, so that lead names both.
 */
import { FormatError } from "../formats/errors.ts";
import { HttpStatusError } from "../formats/source-http.ts";

/** The repo of an `hf:` id (`hf:org/name@rev/file` -> `org/name`), or null. */
function hubRepo(file: string): string | null {
  const m = /^hf:([^/@\s]+\/[^/@\s]+)/.exec(file);
  return m ? m[1]! : null;
}

/** The plain sentence for a FormatError, by its field; null when there is nothing plainer to say. */
export function formatLead(e: FormatError): string | null {
  const { field, detail, file } = e;
  const repo = hubRepo(file);
  if (e instanceof HttpStatusError) {
    if (e.status === 404) return repo ? `Not found on the Hub: ${repo}.` : "The server has no file at this address (404).";
    if (e.status === 401 || e.status === 403) return repo ? `The Hub refused access to ${repo}: it may not exist, or be private or gated.` : "The server refused access to this file.";
    return "The server answered with an error.";
  }
  if (field === "header length") return "This is not a safetensors file (its first 8 bytes should give the header length).";
  if (field === "header" && /JSON|UTF-8/.test(detail)) return "This is not a safetensors file (its header is not valid JSON).";
  if (field === "magic") return 'This is not a GGUF file (it should start with the 4 bytes "GGUF").';
  if (field === "version") return "This GGUF version is not supported.";
  if (field === "format") return "This is not a model file quantlens reads (safetensors, GGUF, llama2.c .bin or ONNX).";
  if (field.startsWith("ModelProto")) return "This is not an ONNX model.";
  if (field === "folder") return repo ? `Not found on the Hub: ${repo} (or the repo holds no model file quantlens reads).` : "This folder holds no model file quantlens reads.";
  if (/past the (end of the )?file|past the file size|short read/.test(detail)) return "This file is cut short: it may be truncated or still downloading.";
  return null;
}

/** The lead for a failed fetch (TypeError): unreachable, or no CORS headers. */
export function fetchLead(where?: string): string {
  return `Could not reach ${where ?? "the server"}: it is unreachable, or it does not allow cross-origin requests (a Hub endpoint must send Access-Control-Allow-Origin and allow Range requests).`;
}

/** "<plain sentence> <technical line>" for anything opening or reading a model throws. */
export function plainModelError(e: unknown, where?: string): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (e instanceof FormatError) {
    const lead = formatLead(e);
    return `${lead ? `${lead} ` : ""}Could not read this model: ${msg}`;
  }
  if (e instanceof TypeError && /fetch/i.test(msg)) return `${fetchLead(where)} (${msg})`;
  return msg;
}
