/**
 * fetch with redirects followed by hand, so secrets stay with their host: `credentials`
 * (Authorization, ...) go only to `credentialOrigin`, and after a redirect that leaves it
 * they are never sent again (HF resolve URLs redirect to a CDN that needs no token).
 * Browsers answer `redirect: "manual"` with an opaque response that hides Location; there
 * we let fetch follow, and the Fetch standard drops Authorization on a cross-origin hop.
 */
import { FormatError } from "./errors.ts";

/** Redirect hops followed per request: the Hub needs one or two. */
export const MAX_REDIRECTS = 10;
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);

export interface ScopedHeaders {
  /** sent everywhere (Accept-Encoding, Range) */
  headers: Record<string, string>;
  /** sent only to `credentialOrigin` and only before a redirect leaves it */
  credentials?: Record<string, string>;
  credentialOrigin?: string;
}

/** The origin of `url`, or a FormatError naming it when it is not an http(s) URL. */
export function httpOrigin(name: string, url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new FormatError(name, "URL", `"${url.slice(0, 200)}" is not a valid URL`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new FormatError(name, "URL", `${u.protocol} is not http(s)`);
  if (!u.hostname) throw new FormatError(name, "URL", "has no host");
  return u.origin;
}

/** fetch(url) following at most MAX_REDIRECTS redirects, credentials scoped as above. */
export async function fetchScoped(
  name: string, url: string, init: RequestInit, h: ScopedHeaders,
): Promise<Response> {
  let target = url;
  let trusted = h.credentials !== undefined && httpOrigin(name, url) === h.credentialOrigin;
  for (let hop = 0; ; hop++) {
    const headers = trusted ? { ...h.headers, ...h.credentials } : h.headers;
    const res = await fetch(target, { ...init, headers, redirect: "manual" });
    if (res.type === "opaqueredirect") return fetch(target, { ...init, headers, redirect: "follow" });
    if (!REDIRECT_STATUS.has(res.status)) return res;
    await res.body?.cancel().catch(() => undefined);
    const loc = res.headers.get("location");
    if (!loc) throw new FormatError(name, "HTTP", `status ${res.status} without a Location header`);
    if (hop >= MAX_REDIRECTS) throw new FormatError(name, "HTTP", `more than ${MAX_REDIRECTS} redirects`);
    let next: string;
    try {
      next = new URL(loc, target).href;
    } catch {
      throw new FormatError(name, "HTTP", `redirect to an invalid URL "${loc.slice(0, 200)}"`);
    }
    // once the chain leaves the credential origin it never gets the secret back
    trusted = trusted && httpOrigin(name, next) === h.credentialOrigin;
    target = next;
  }
}
