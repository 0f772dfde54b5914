/** A server that sends headers and then goes silent must not hang a read. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, it } from "vitest";
import { FormatError } from "../../lib/formats/errors.ts";
import { openHttpSource } from "../../lib/formats/source-http.ts";

const FILE_BYTES = 1000;
const IDLE_MS = 150;

it("openHttpSource(url).read() gives up with a FormatError when the body stalls on every attempt", async () => {
  let stalled = 0;
  const server = createServer((req, res) => {
    const m = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? "");
    const [a, b] = m ? [Number(m[1]), Number(m[2])] : [0, FILE_BYTES - 1];
    res.writeHead(206, { "Content-Range": `bytes ${a}-${b}/${FILE_BYTES}`, "Content-Length": String(b - a + 1) });
    if (b - a + 1 <= 1) return void res.end(Buffer.alloc(1));
    res.flushHeaders(); // then silence: never a byte of the body
    stalled++;
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/m.bin`;
  try {
    const src = await openHttpSource(url, { idleTimeoutMs: IDLE_MS, maxRetries: 1, retryDelayMs: 1 });
    const t0 = Date.now();
    const err = await src.read(0, 500).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(String(err.message)).toContain(url);
    expect(String(err.message)).toContain(`no data for ${IDLE_MS} ms`);
    expect(stalled).toBe(2); // first attempt + one retry
    expect(Date.now() - t0).toBeLessThan(5_000);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});
