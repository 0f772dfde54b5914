/**
 * Issue 12, classes 1 and 2: credentials stay with their host (never to another URL, never
 * across a cross-origin redirect) and HTTP reads are bounded in time and bytes, against
 * local 127.0.0.1 servers that misbehave on purpose.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { FormatError } from "../../lib/formats/errors.ts";
import { openModel } from "../../lib/formats/open.ts";
import { nodeRuntime } from "../../lib/formats/open-node.ts";
import { openHttpSource } from "../../lib/formats/source-http.ts";
import { makeSafetensors, wave } from "../helpers/make-safetensors.ts";

const TOKEN = "hf_secret_test_token";
/** Tensors in the Range-ignoring file: one download each was the bug. */
const TENSORS = 40;

interface Seen { url: string; auth: string | null; range: string | null }
const servers: { close(): Promise<void> }[] = [];

/** A 127.0.0.1 server whose answers come from `handler`; records every request. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? "", auth: req.headers.authorization ?? null, range: req.headers.range ?? null });
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); });
  servers.push({ close });
  return { origin, seen };
}
afterEach(async () => { await Promise.all(servers.splice(0).map((s) => s.close())); });

/** Serves `data` with Range support (or ignoring Range: 200 + whole body). */
function fileHandler(data: Uint8Array, opts: { ignoreRange?: boolean; maxRange?: number } = {}) {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (!/\.safetensors$|\.gguf$|\.bin$/.test(req.url ?? "")) return void res.writeHead(404).end();
    const m = opts.ignoreRange ? null : /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? "");
    if (!m) return void res.writeHead(200, { "Content-Length": data.length }).end(data);
    const a = Number(m[1]);
    const b = Math.min(Number(m[2]), data.length - 1, a + (opts.maxRange ?? Infinity) - 1);
    res.writeHead(206, { "Content-Range": `bytes ${a}-${b}/${data.length}`, "Content-Length": b - a + 1 });
    res.end(data.subarray(a, b + 1));
  };
}

const smallModel = () => makeSafetensors(Object.fromEntries(Array.from({ length: TENSORS }, (_, i) =>
  [`t${i}`, { dtype: "F32" as const, shape: [64], values: wave(64, i) }])));

describe("credentials stay with their host", () => {
  it("openModel(plain URL, {token}) never sends the Hub token to that server", async () => {
    const { origin, seen } = await serve(fileHandler(smallModel()));
    await openModel(`${origin}/model.safetensors`, { token: TOKEN });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.map((s) => s.auth)).toEqual(seen.map(() => null));
  });

  it("openModel(URL, {runtime: nodeRuntime}) with HF_TOKEN set sends nothing to a non-Hub server", async () => {
    const { origin, seen } = await serve(fileHandler(smallModel()));
    const old = process.env.HF_TOKEN;
    process.env.HF_TOKEN = TOKEN;
    try {
      await openModel(`${origin}/model.safetensors`, { runtime: nodeRuntime });
    } finally {
      if (old === undefined) delete process.env.HF_TOKEN; else process.env.HF_TOKEN = old;
    }
    expect(seen.every((s) => s.auth === null)).toBe(true);
  });

  it("openModel(hf:id, {token}) sends the token to the Hub endpoint but not after a redirect to another origin", async () => {
    const cdn = await serve(fileHandler(smallModel()));
    const hub = await serve((req, res) => {
      if (req.url?.endsWith("/model.safetensors")) {
        return void res.writeHead(302, { Location: `${cdn.origin}/lfs/abc.safetensors` }).end();
      }
      res.writeHead(404).end();
    });
    const src = await openModel("hf:org/m/model.safetensors", { token: TOKEN, endpoint: hub.origin });
    expect(src.tensors.length).toBe(TENSORS);
    expect(hub.seen.some((s) => s.auth === `Bearer ${TOKEN}`)).toBe(true);
    expect(cdn.seen.length).toBeGreaterThan(0);
    expect(cdn.seen.every((s) => s.auth === null)).toBe(true);
  });
});

describe("HTTP reads are bounded", { timeout: 15_000 }, () => {
  it("read() of a body dripped a byte at a time ends at the overall deadline with a FormatError", async () => {
    const { origin } = await serve((req, res) => {
      const m = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? "")!;
      const [a, b] = [Number(m[1]), Number(m[2])];
      res.writeHead(206, { "Content-Range": `bytes ${a}-${b}/100000`, "Content-Length": b - a + 1 });
      if (a === b) return void res.end(Buffer.alloc(1));
      const t = setInterval(() => res.write(Buffer.alloc(1)), 20); // each byte re-arms an idle timer
      res.on("close", () => clearInterval(t));
    });
    const src = await openHttpSource(`${origin}/m.bin`, { idleTimeoutMs: 1000, deadlineMs: 400, retryDelayMs: 1 });
    const t0 = Date.now();
    const err = await src.read(0, 50_000).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(String(err.message)).toMatch(/deadline/);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it("read() stops at the range length when a 206 body never ends", async () => {
    let sent = 0;
    const { origin } = await serve((req, res) => {
      const m = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? "")!;
      res.writeHead(206, { "Content-Range": `bytes ${m[1]}-${m[2]}/1000000` }); // chunked, no length
      const t = setInterval(() => { res.write(Buffer.alloc(4096)); sent += 4096; }, 1);
      res.on("close", () => clearInterval(t));
    });
    const src = await openHttpSource(`${origin}/m.bin`, { idleTimeoutMs: 1000, deadlineMs: 5000 });
    const got = await src.read(10, 1000);
    expect(got.length).toBe(1000);
    expect(sent).toBeLessThan(1_000_000);
  });

  it("read() works over a server that honestly returns shorter 206 ranges, with no retries allowed", async () => {
    const data = smallModel();
    const { origin } = await serve(fileHandler(data, { maxRange: 100 }));
    const src = await openHttpSource(`${origin}/m.safetensors`, { maxRetries: 0 });
    const got = await src.read(5, 2000);
    expect(Buffer.from(got).equals(Buffer.from(data.subarray(5, 2005)))).toBe(true);
  });

  it("a server that ignores Range is downloaded once, not once per tensor", async () => {
    const data = smallModel();
    const { origin, seen } = await serve(fileHandler(data, { ignoreRange: true }));
    const src = await openModel(`${origin}/model.safetensors`);
    for (const t of src.tensors) for await (const _ of src.readRaw(t)) { /* read every tensor */ }
    const gets = seen.filter((s) => s.url.endsWith(".safetensors")).length;
    expect(gets).toBeLessThanOrEqual(2); // the size probe + one download
  });

  it.each(["http://", "http://[::1", "https://huggingface.co/%E0%A4%A/x", "http://127.0.0.1:1/%zz.gguf"])(
    "openModel(%s) is a FormatError, not a TypeError or URIError", async (url) => {
      const err = await openModel(url).catch((e) => e);
      expect(err).toBeInstanceOf(FormatError);
    });
});
