/**
 * ByteSource over HTTP(S) by Range requests, with global fetch (Node 20 and browsers).
 * Trust boundary: the server may ignore Range (200 + whole body: we stream, skip to the
 * offset, take what we need and cancel, so memory stays bounded), drop the connection
 * mid-body (we retry the remaining range up to MAX_HTTP_RETRIES times), or refuse
 * (404/403/...: FormatError naming the URL and status). Redirects are followed by fetch.
 */
import { FormatError } from "./errors.ts";
import { checkRange } from "./range.ts";
import type { ByteSource } from "./types.ts";

/** Retries of one read after a dropped connection or a transient status (408/429/5xx). */
export const MAX_HTTP_RETRIES = 3;
/** Wait before retry k is k * RETRY_DELAY_MS: short, the point is to ride out a blip. */
export const RETRY_DELAY_MS = 100;
/** Statuses worth retrying: timeouts, rate limits, overloaded or restarting servers. */
/** A response that sends nothing for this long is aborted (and retried): a silent server must not hang a read. */
export const HTTP_IDLE_TIMEOUT_MS = 30_000;
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

export interface HttpSourceOptions {
  /** extra request headers, e.g. `{ Authorization: "Bearer hf_..." }` (never shown in errors) */
  headers?: Record<string, string>;
  maxRetries?: number;
  retryDelayMs?: number;
  /** abort a request after this many ms without a byte (default HTTP_IDLE_TIMEOUT_MS) */
  idleTimeoutMs?: number;
  /** name used in error messages; defaults to the URL */
  name?: string;
}

/** The server answered with a status that is not a success; `status` says which. */
export class HttpStatusError extends FormatError {
  constructor(url: string, readonly status: number, statusText: string) {
    super(url, "HTTP", `status ${status}${statusText ? ` ${statusText}` : ""}`);
  }
}

/** A ByteSource over `url`; also says whether the server was seen ignoring Range. */
export interface HttpSource extends ByteSource {
  readonly url: string;
  readonly ignoresRange: boolean;
}

const CONTENT_RANGE_RE = /^bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)$/i;

/** Parses `bytes a-b/total` or `bytes *\/total`. */
function parseContentRange(h: string | null): { start?: number; total?: number } | null {
  const m = h ? CONTENT_RANGE_RE.exec(h.trim()) : null;
  if (!m) return null;
  return { start: m[1] !== undefined ? Number(m[1]) : undefined, total: m[3] !== "*" ? Number(m[3]) : undefined };
}

/** undici hides the socket error in `cause` ("fetch failed" / "terminated"). */
function errorText(e: unknown): string {
  const err = e as Error & { cause?: Error };
  if (err.name === "AbortError" || err.name === "TimeoutError") return err.cause?.message ?? err.message;
  return err.cause?.message ? `${err.message} (${err.cause.message})` : String(err.message ?? e);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Opens `url` for random access; the size comes from a `Range: bytes=0-0` probe (or HEAD). */
export async function openHttpSource(url: string, opts: HttpSourceOptions = {}): Promise<HttpSource> {
  const name = opts.name ?? url;
  const maxRetries = opts.maxRetries ?? MAX_HTTP_RETRIES;
  const delay = opts.retryDelayMs ?? RETRY_DELAY_MS;
  const idleMs = opts.idleTimeoutMs ?? HTTP_IDLE_TIMEOUT_MS;
  const headers = { "Accept-Encoding": "identity", ...opts.headers };
  let ignoresRange = false;

  /** fetch with bounded retries for network errors and transient statuses; other statuses throw. */
  async function request(
    range: () => string, what: string, body: (res: Response, alive: () => void) => Promise<void>, method = "GET",
  ): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      // watchdog: aborts the request when no byte arrives for idleMs; `alive` re-arms it
      const ac = new AbortController();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const alive = () => {
        clearTimeout(timer);
        timer = setTimeout(() => ac.abort(new Error(`no data for ${idleMs} ms`)), idleMs);
      };
      alive();
      try {
        const r = range();
        const res = await fetch(url, { method, headers: r ? { ...headers, Range: r } : headers, signal: ac.signal });
        if (!res.ok && res.status !== 416) {
          await res.body?.cancel().catch(() => undefined);
          if (RETRYABLE_STATUS.has(res.status)) throw new Error(`status ${res.status}`);
          throw new HttpStatusError(name, res.status, res.statusText);
        }
        return await body(res, alive);
      } catch (e) {
        if (e instanceof FormatError) throw e;
        if (attempt >= maxRetries) {
          throw new FormatError(name, what, `failed after ${attempt + 1} attempts: ${errorText(e)}`);
        }
        await sleep(delay * (attempt + 1));
      } finally {
        clearTimeout(timer);
      }
    }
  }

  let size = -1;
  await request(() => "bytes=0-0", "size probe", async (res) => {
    const cr = parseContentRange(res.headers.get("content-range"));
    const len = res.headers.get("content-length");
    if (res.status === 200) ignoresRange = true;
    await res.body?.cancel().catch(() => undefined);
    if (res.status !== 200 && cr?.total !== undefined) size = cr.total;
    else if (res.status === 200 && len !== null) size = Number(len);
  });
  if (size < 0) {
    await request(() => "", "size", async (res) => {
      await res.body?.cancel().catch(() => undefined);
      const len = res.headers.get("content-length");
      if (len !== null) size = Number(len);
    }, "HEAD");
  }
  if (!Number.isSafeInteger(size) || size < 0) throw new FormatError(name, "size", "the server does not report the file size");

  async function read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(name, size, offset, length);
    if (length === 0) return new Uint8Array(0);
    const out = new Uint8Array(length);
    let got = 0; // survives retries: each retry asks only for the bytes still missing
    const last = offset + length - 1;
    await request(() => `bytes=${offset + got}-${last}`, `bytes ${offset}-${last}`, async (res, alive) => {
      const start = offset + got;
      let skip = 0;
      if (res.status === 206) {
        const cr = parseContentRange(res.headers.get("content-range"));
        if (cr?.start !== start) {
          await res.body?.cancel().catch(() => undefined);
          throw new FormatError(name, "Content-Range", `asked for bytes from ${start}, got "${res.headers.get("content-range")}"`);
        }
      } else if (res.status === 200) {
        ignoresRange = true; // whole body: stream past the bytes before `start`
        skip = start;
      } else {
        throw new HttpStatusError(name, res.status, res.statusText);
      }
      if (!res.body) throw new Error("empty response body");
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        alive();
        let chunk = value;
        if (skip > 0) {
          const s = Math.min(skip, chunk.length);
          skip -= s;
          chunk = chunk.subarray(s);
        }
        const n = Math.min(chunk.length, length - got);
        out.set(chunk.subarray(0, n), got);
        got += n;
        if (got === length && res.status === 200) {
          await reader.cancel().catch(() => undefined); // stop downloading the rest of the file
          return;
        }
      }
      if (got < length) throw new Error(`connection closed after ${got} of ${length} bytes`);
    });
    return out;
  }

  return {
    name, url, size, read,
    get ignoresRange() { return ignoresRange; },
    async close() {},
  };
}
