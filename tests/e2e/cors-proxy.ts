/**
 * A CORS front for tests/helpers/range-server.ts: the dashboard page (one origin) fetches the
 * Hub-layout server (another port, so another origin), which browsers allow only with CORS
 * headers, as huggingface.co sends them. Optionally delays every response, so a test can
 * cancel an analysis half-way.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
  "Access-Control-Allow-Headers": "Range, Authorization",
  "Access-Control-Expose-Headers": "Content-Range, Content-Length, Accept-Ranges",
};

export interface CorsProxy { endpoint: string; delayMs: number; requests: number; close(): Promise<void> }

/** Starts a proxy on 127.0.0.1 forwarding to `target` (e.g. a range server's endpoint). */
export async function startCorsProxy(target: string, delayMs = 0): Promise<CorsProxy> {
  const t = new URL(target);
  const proxy: CorsProxy = { endpoint: "", delayMs, requests: 0, close: async () => undefined };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    proxy.requests++;
    if (req.method === "OPTIONS") return void res.writeHead(204, CORS).end();
    setTimeout(() => {
      const headers = { ...req.headers, host: t.host };
      const up = request({ host: t.hostname, port: t.port, path: req.url, method: req.method, headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, { ...r.headers, ...CORS });
        r.pipe(res);
      });
      up.on("error", () => res.destroy());
      req.pipe(up);
    }, proxy.delayMs);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); });
  return proxy;
}
