/**
 * ByteSource over HTTP(S) by Range requests, with global fetch (Node 20 and browsers).
 * Trust boundary, every read bounded in time and bytes:
 * - a server that ignores Range (200 + whole body) is downloaded once and served from
 *   memory when the file is at most MAX_UNRANGED_BYTES (else streamed to the offset per read);
 * - a 206 body longer than asked is cut at the range length; a shorter honest 206 is
 *   progress, and the rest is asked for without counting a failure;
 * - a dropped connection or a transient status (408/429/5xx) is retried; only attempts
 *   that bring no byte count toward MAX_HTTP_RETRIES;
 * - an idle timer (no byte for HTTP_IDLE_TIMEOUT_MS) and an overall deadline per read
 *   (a body dripped a byte at a time must end) abort the request;
 * - refusals (404/403/...) are FormatErrors naming the URL and status;
 * - secrets (`credentials`) go only to their origin, never across a redirect (http-redirect.ts).
 */
import { FormatError } from "./errors.ts";
import { fetchScoped, httpOrigin } from "./http-redirect.ts";
import { checkRange } from "./range.ts";
import type { ByteSource } from "./types.ts";

/** Failed attempts (no byte received) of one read before giving up. */
export const MAX_HTTP_RETRIES = 3;
/** Wait before retry k is k * RETRY_DELAY_MS: short, the point is to ride out a blip. */
export const RETRY_DELAY_MS = 100;
/** A response that sends nothing for this long is aborted (and retried): a silent server must not hang a read. */
export const HTTP_IDLE_TIMEOUT_MS = 30_000;
/** Overall time for one read: a base for latency and retries plus the bytes at a slow-link rate. */
export const HTTP_DEADLINE_BASE_MS = 120_000;
/** 64 KiB/s: a read slower than this (a dripping server) ends with an error. */
export const HTTP_MIN_BYTES_PER_S = 64 * 1024;
/** A Range-ignoring server's file is kept in memory up to this size, so it is downloaded once. */
export const MAX_UNRANGED_BYTES = 512 * 1024 * 1024;
/** Statuses worth retrying: timeouts, rate limits, overloaded or restarting servers. */
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

export interface HttpSourceOptions {
  /** extra request headers sent to every host (no secrets here) */
  headers?: Record<string, string>;
  /** secret headers, e.g. `{ Authorization: "Bearer hf_..." }`: only to `credentialOrigin`, never shown in errors */
  credentials?: Record<string, string>;
  /** origin the credentials belong to (default: the URL's own origin) */
  credentialOrigin?: string;
  maxRetries?: number;
  retryDelayMs?: number;
  /** abort a request after this many ms without a byte (default HTTP_IDLE_TIMEOUT_MS) */
  idleTimeoutMs?: number;
  /** overall ms for one read, retries included (default: base + length at HTTP_MIN_BYTES_PER_S) */
  deadlineMs?: number;
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
function parseContentRange(h: string | null): { start?: number; end?: number; total?: number } | null {
  const m = h ? CONTENT_RANGE_RE.exec(h.trim()) : null;
  if (!m) return null;
  return {
    start: m[1] !== undefined ? Number(m[1]) : undefined, end: m[2] !== undefined ? Number(m[2]) : undefined,
    total: m[3] !== "*" ? Number(m[3]) : undefined,
  };
}

/** undici hides the socket error in `cause` ("fetch failed" / "terminated"). */
function errorText(e: unknown): string {
  const err = e as Error & { cause?: Error };
  if (err.name === "AbortError" || err.name === "TimeoutError") return err.cause?.message ?? err.message;
  return err.cause?.message ? `${err.message} (${err.cause.message})` : String(err.message ?? e);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cancel = (res: Response) => res.body?.cancel().catch(() => undefined);

/** Body handler of one attempt: `alive` re-arms the idle timer; returns when done. */
type Body = (res: Response, alive: () => void) => Promise<void>;

/** Opens `url` for random access; the size comes from a `Range: bytes=0-0` probe (or HEAD). */
export async function openHttpSource(url: string, opts: HttpSourceOptions = {}): Promise<HttpSource> {
  const name = opts.name ?? url;
  const origin = httpOrigin(name, url);
  const maxRetries = opts.maxRetries ?? MAX_HTTP_RETRIES;
  const delay = opts.retryDelayMs ?? RETRY_DELAY_MS;
  const idleMs = opts.idleTimeoutMs ?? HTTP_IDLE_TIMEOUT_MS;
  const scoped = {
    headers: { "Accept-Encoding": "identity", ...opts.headers },
    credentials: opts.credentials, credentialOrigin: opts.credentialOrigin ?? origin,
  };
  const budgetFor = (bytes: number) => opts.deadlineMs ?? HTTP_DEADLINE_BASE_MS + (bytes * 1000) / HTTP_MIN_BYTES_PER_S;
  let ignoresRange = false;
  let whole: Promise<Uint8Array> | null = null; // the whole file, from a Range-ignoring server

  /**
   * fetch with bounded retries; `progress()` says how many bytes are in hand, so an attempt
   * that brought bytes is not a failure; the deadline covers every attempt.
   */
  async function request(
    range: () => string, what: string, body: Body, progress: () => number, bytes: number, method = "GET",
    deadline = Date.now() + budgetFor(bytes),
  ) {
    const budget = budgetFor(bytes);
    for (let failures = 0; ;) {
      const before = progress();
      const ac = new AbortController();
      let timer: ReturnType<typeof setTimeout> | undefined;
      let late = false;
      const alive = () => { // re-armed on every byte, but never past the deadline
        clearTimeout(timer);
        const left = deadline - Date.now();
        late = left <= idleMs;
        timer = setTimeout(() => ac.abort(new Error(late ? `deadline` : `no data for ${idleMs} ms`)), Math.max(0, Math.min(idleMs, left)));
      };
      alive();
      try {
        const r = range();
        const headers = r ? { ...scoped.headers, Range: r } : scoped.headers;
        const res = await fetchScoped(name, url, { method, signal: ac.signal }, { ...scoped, headers });
        if (!res.ok && res.status !== 416) {
          await cancel(res);
          if (RETRYABLE_STATUS.has(res.status)) throw new Error(`status ${res.status}`);
          throw new HttpStatusError(name, res.status, res.statusText);
        }
        return await body(res, alive);
      } catch (e) {
        if (e instanceof FormatError) throw e;
        if (late && ac.signal.aborted) {
          throw new FormatError(name, what, `no complete answer within the deadline of ${Math.round(budget)} ms (${progress()} of ${bytes} bytes)`);
        }
        if (progress() === before) failures++;
        if (failures > maxRetries) throw new FormatError(name, what, `failed after ${failures} attempts: ${errorText(e)}`);
        if (Date.now() >= deadline) throw new FormatError(name, what, `no complete answer within the deadline of ${Math.round(budget)} ms`);
        if (progress() === before) await sleep(delay * failures);
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
    await cancel(res);
    if (res.status !== 200 && cr?.total !== undefined) size = cr.total;
    else if (res.status === 200 && len !== null) size = Number(len);
  }, () => 0, 1);
  if (size < 0) {
    await request(() => "", "size", async (res) => {
      await cancel(res);
      const len = res.headers.get("content-length");
      if (len !== null) size = Number(len);
    }, () => 0, 1, "HEAD");
  }
  if (!Number.isSafeInteger(size) || size < 0) throw new FormatError(name, "size", "the server does not report the file size");

  /** Fills out[got..] from bytes `offset + got ..`; a 200 streams past the bytes before them. */
  async function fill(offset: number, out: Uint8Array): Promise<void> {
    const length = out.length;
    let got = 0; // survives retries: each retry asks only for the bytes still missing
    const last = offset + length - 1;
    const what = `bytes ${offset}-${last}`;
    const deadline = Date.now() + budgetFor(length); // one deadline for every request of this read
    for (;;) {
      await request(() => (ignoresRange ? "" : `bytes=${offset + got}-${last}`), what, async (res, alive) => {
        const start = offset + got;
        let skip = 0;
        let stop = length; // the attempt ends when `got` reaches this
        if (res.status === 206) {
          const cr = parseContentRange(res.headers.get("content-range"));
          if (cr?.start !== start || cr.end === undefined || cr.end < start) {
            await cancel(res);
            throw new FormatError(name, "Content-Range", `asked for bytes from ${start}, got "${res.headers.get("content-range")}"`);
          }
          stop = Math.min(length, got + cr.end - start + 1); // an honest shorter range
        } else if (res.status === 200) {
          ignoresRange = true; // whole body: stream past the bytes before `start`
          skip = start;
        } else {
          throw new HttpStatusError(name, res.status, res.statusText);
        }
        if (!res.body) throw new Error("empty response body");
        const reader = res.body.getReader();
        try {
          while (got < stop) {
            const { done, value } = await reader.read();
            if (done) throw new Error(`connection closed after ${got} of ${length} bytes`);
            alive();
            let chunk = value;
            if (skip > 0) {
              const s = Math.min(skip, chunk.length);
              skip -= s;
              chunk = chunk.subarray(s);
            }
            const n = Math.min(chunk.length, stop - got); // never more than the range asked
            out.set(chunk.subarray(0, n), got);
            got += n;
          }
        } finally {
          await reader.cancel().catch(() => undefined); // stop whatever the server sends past the range
        }
      }, () => got, length, "GET", deadline);
      if (got >= length) return;
    }
  }

  async function read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(name, size, offset, length);
    if (length === 0) return new Uint8Array(0);
    if (ignoresRange && size <= MAX_UNRANGED_BYTES) {
      whole ??= (async () => { const all = new Uint8Array(size); await fill(0, all); return all; })();
      const all = await whole.catch((e) => { whole = null; throw e; });
      return all.slice(offset, offset + length);
    }
    const out = new Uint8Array(length);
    await fill(offset, out);
    return out;
  }

  return {
    name, url, size, read,
    get ignoresRange() { return ignoresRange; },
    async close() { whole = null; },
  };
}
