/**
 * A local HTTP server in the Hugging Face Hub's layout, for source-http and hf: tests:
 * GET/HEAD `/{org}/{name}/resolve/{rev}/{file}` serves `{root}/{org}/{name}/{file}` (rev ignored)
 * with Range support (206 + Content-Range). Misbehaviours on demand: ignore Range
 * (200 + whole body), or drop the connection after N body bytes of the next K responses.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, normalize } from "node:path";

export interface RangeServerBehaviour {
  /** answer 200 with the whole body whatever Range says */
  ignoreRange: boolean;
  /** body bytes sent before the socket is destroyed, for responses longer than this */
  dropAfterBytes: number | null;
  /** how many responses to drop (Infinity: every one) */
  dropCount: number;
}

export interface RangeServer {
  /** endpoint to use as the Hub base URL, e.g. http://127.0.0.1:41234 */
  endpoint: string;
  behaviour: RangeServerBehaviour;
  /** requests seen, body bytes sent, Range and Authorization headers seen */
  stats: { requests: number; bytes: number; ranges: (string | null)[]; auth: (string | null)[] };
  resetStats(): void;
  close(): Promise<void>;
}

const PATH_RE = /^\/([^/]+)\/([^/]+)\/resolve\/([^/]+)\/(.+)$/;
const RANGE_RE = /^bytes=(\d*)-(\d*)$/;

/** Starts the server on 127.0.0.1 at a random port. */
export async function startRangeServer(root: string, behaviour: Partial<RangeServerBehaviour> = {}): Promise<RangeServer> {
  const b: RangeServerBehaviour = { ignoreRange: false, dropAfterBytes: null, dropCount: 0, ...behaviour };
  const stats = { requests: 0, bytes: 0, ranges: [] as (string | null)[], auth: [] as (string | null)[] };

  function handle(req: IncomingMessage, res: ServerResponse): void {
    stats.requests++;
    stats.ranges.push(req.headers.range ?? null);
    stats.auth.push(req.headers.authorization ?? null);
    const m = PATH_RE.exec(decodeURI(req.url?.split("?")[0] ?? ""));
    const rel = m ? normalize(join(m[1]!, m[2]!, m[4]!)) : null;
    const path = rel && !rel.startsWith("..") ? join(root, rel) : null;
    if (!path || !existsSync(path) || !statSync(path).isFile()) {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("Entry not found");
      return;
    }
    const data = readFileSync(path);
    const range = b.ignoreRange ? null : RANGE_RE.exec(req.headers.range ?? "");
    let start = 0;
    let end = data.length - 1;
    let status = 200;
    const headers: Record<string, string | number> = { "Accept-Ranges": b.ignoreRange ? "none" : "bytes" };
    if (range) {
      start = range[1] ? Number(range[1]) : Math.max(0, data.length - Number(range[2]));
      end = range[1] && range[2] ? Math.min(Number(range[2]), data.length - 1) : data.length - 1;
      if (start >= data.length || start > end) {
        res.writeHead(416, { "Content-Range": `bytes */${data.length}` }).end();
        return;
      }
      status = 206;
      headers["Content-Range"] = `bytes ${start}-${end}/${data.length}`;
    }
    const body = data.subarray(start, end + 1);
    headers["Content-Length"] = body.length;
    res.writeHead(status, headers);
    if (req.method === "HEAD") { res.end(); return; }
    if (b.dropAfterBytes !== null && b.dropCount > 0 && body.length > b.dropAfterBytes) {
      b.dropCount--;
      const part = body.subarray(0, b.dropAfterBytes);
      stats.bytes += part.length;
      res.write(part, () => res.socket?.destroy()); // mid-body: the client sees a truncated response
      return;
    }
    stats.bytes += body.length;
    res.end(body);
  }

  const server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    behaviour: b,
    stats,
    resetStats() { Object.assign(stats, { requests: 0, bytes: 0, ranges: [], auth: [] }); },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** A range server in the Hub's URL layout ({root}/{org}/{name}/{file}) serving `folder` as repo `repo`. */
export function startHubServer(folder: string, repo = "karpathy/stories260K", behaviour: Partial<RangeServerBehaviour> = {}): Promise<RangeServer> {
  const root = mkdtempSync(join(tmpdir(), "ql-hub-"));
  const [org] = repo.split("/");
  mkdirSync(join(root, org!));
  symlinkSync(folder, join(root, repo));
  return startRangeServer(root, behaviour);
}
