import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FormatError } from "../../lib/formats/errors.ts";
import { HttpStatusError, MAX_HTTP_RETRIES, openHttpSource } from "../../lib/formats/source-http.ts";
import { startRangeServer, type RangeServer } from "../helpers/range-server.ts";
import { tmpDir } from "../helpers/make-safetensors.ts";

/** A file big enough that reading all of it would show in the byte counter. */
const FILE_BYTES = 1 << 20;
const RETRY_DELAY_MS = 1; // tests need not wait between retries

let server: RangeServer;
let url: string;
const data = new Uint8Array(FILE_BYTES).map((_, i) => (i * 7 + (i >> 8)) & 0xff);

beforeAll(async () => {
  const root = tmpDir("quantlens-http-");
  mkdirSync(join(root, "org/repo"), { recursive: true });
  writeFileSync(join(root, "org/repo/blob.bin"), data);
  server = await startRangeServer(root);
  url = `${server.endpoint}/org/repo/resolve/main/blob.bin`;
});
afterAll(() => server.close());
beforeEach(() => {
  Object.assign(server.behaviour, { ignoreRange: false, dropAfterBytes: null, dropCount: 0 });
  server.resetStats();
});

describe("openHttpSource", () => {
  it("openHttpSource(url) learns the size from a bytes=0-0 probe and reads exact ranges", async () => {
    const src = await openHttpSource(url);
    expect(src.size).toBe(FILE_BYTES);
    expect(server.stats.ranges).toEqual(["bytes=0-0"]);
    expect(await src.read(1000, 10)).toEqual(data.subarray(1000, 1010));
    expect(await src.read(FILE_BYTES - 3, 3)).toEqual(data.subarray(FILE_BYTES - 3));
    expect(src.ignoresRange).toBe(false);
    expect(server.stats.bytes).toBe(1 + 10 + 3);
  });

  it("openHttpSource(url).read rejects a range past the end without a request", async () => {
    const src = await openHttpSource(url);
    const before = server.stats.requests;
    await expect(src.read(FILE_BYTES - 2, 3)).rejects.toThrow(FormatError);
    expect(server.stats.requests).toBe(before);
  });

  it("openHttpSource(url) streams past the offset when the server ignores Range", async () => {
    server.behaviour.ignoreRange = true;
    const src = await openHttpSource(url, { retryDelayMs: RETRY_DELAY_MS });
    expect(src.size).toBe(FILE_BYTES);
    expect(src.ignoresRange).toBe(true);
    expect(await src.read(500_000, 4096)).toEqual(data.subarray(500_000, 504_096));
  });

  it("openHttpSource(url).read retries the remaining range after a connection drop mid-body", async () => {
    const src = await openHttpSource(url, { retryDelayMs: RETRY_DELAY_MS });
    Object.assign(server.behaviour, { dropAfterBytes: 10_000, dropCount: 2 });
    server.resetStats();
    expect(await src.read(100, 50_000)).toEqual(data.subarray(100, 50_100));
    expect(server.stats.ranges).toEqual(["bytes=100-50099", "bytes=10100-50099", "bytes=20100-50099"]);
  });

  it(`openHttpSource(url).read throws FormatError naming the URL after ${MAX_HTTP_RETRIES} retries that bring no byte`, async () => {
    const src = await openHttpSource(url, { retryDelayMs: RETRY_DELAY_MS });
    Object.assign(server.behaviour, { dropAfterBytes: 0, dropCount: Infinity }); // attempts with bytes are progress, not failures
    server.resetStats();
    const p = src.read(0, 50_000);
    await expect(p).rejects.toThrow(FormatError);
    await expect(p).rejects.toThrow(new RegExp(`^${url}: bytes 0-49999: failed after ${MAX_HTTP_RETRIES + 1} attempts`));
    expect(server.stats.requests).toBe(MAX_HTTP_RETRIES + 1);
  });

  it("openHttpSource(url) throws HttpStatusError (a FormatError) naming the URL and 404", async () => {
    const missing = `${server.endpoint}/org/repo/resolve/main/nope.bin`;
    const p = openHttpSource(missing);
    await expect(p).rejects.toThrow(HttpStatusError);
    await expect(p).rejects.toThrow(`${missing}: HTTP: status 404`);
    expect(server.stats.requests).toBe(1); // a 404 is not retried
  });

  it("openHttpSource(url) sends the caller's headers", async () => {
    const src = await openHttpSource(url, { headers: { Authorization: "Bearer hf_test" } });
    expect(await src.read(0, 4)).toEqual(data.subarray(0, 4));
    expect(server.stats.auth).toEqual(["Bearer hf_test", "Bearer hf_test"]);
  });
});
