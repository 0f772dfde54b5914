/** A static file server on 127.0.0.1 for browser tests: URL prefix -> folder, with MIME types. */
import { createServer, type Server } from "node:http";
import { existsSync, readFileSync, statSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";

const MIME: Record<string, string> = {
  ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm",
  ".json": "application/json", ".bin": "application/octet-stream",
};

/** Serves `mounts` ({ "/duckdb/": dir, "/": dir }); longest prefix wins. */
export async function startStaticServer(mounts: Record<string, string>): Promise<{ url: string; close: () => Promise<void> }> {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server: Server = createServer((req, res) => {
    const path = decodeURI((req.url ?? "/").split("?")[0]!);
    const prefix = prefixes.find((p) => path.startsWith(p));
    const rel = prefix ? normalize(path.slice(prefix.length)) : null;
    const file = prefix && rel && !rel.startsWith("..") ? join(mounts[prefix]!, rel) : null;
    if (!file || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end("not found");
    res.writeHead(200, { "Content-Type": MIME[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}
