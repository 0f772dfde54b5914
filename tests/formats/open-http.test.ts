import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FormatError } from "../../lib/formats/errors.ts";
import { openModel } from "../../lib/formats/open.ts";
import { HttpStatusError } from "../../lib/formats/source-http.ts";
import type { TensorSource } from "../../lib/formats/types.ts";
import { findFixture } from "../helpers/fixtures.ts";
import { makeSafetensors, tinyConfig, tinyLlama, tmpDir, wave, writeModelDir } from "../helpers/make-safetensors.ts";
import { startRangeServer, type RangeServer } from "../helpers/range-server.ts";

/** One tensor of the "big" file: 256 KiB of F32. */
const BIG_TENSOR_ELEMENTS = 64 * 1024;
const BIG_TENSORS = 8;
/** Request overhead allowed when reading one tensor: the probe, the 8-byte length and the header. */
const MAX_EXTRA_BYTES = 16 * 1024;

let server: RangeServer;
let root: string;

beforeAll(async () => {
  root = tmpDir("quantlens-hub-");
  writeModelDir(join(root, "org/tiny"), tinyLlama(), tinyConfig(true));
  writeModelDir(join(root, "org/sharded"), tinyLlama("F16", false), tinyConfig(false), 2);
  const big = Object.fromEntries(Array.from({ length: BIG_TENSORS }, (_, i) =>
    [`t${i}`, { dtype: "F32" as const, shape: [256, 256], values: wave(BIG_TENSOR_ELEMENTS, i) }]));
  mkdirSync(join(root, "org/big"), { recursive: true });
  writeFileSync(join(root, "org/big/model.safetensors"), makeSafetensors(big));
  const gguf = findFixture("models/stories260K.gguf");
  if (gguf) {
    mkdirSync(join(root, "ggml-org/models"), { recursive: true });
    copyFileSync(gguf, join(root, "ggml-org/models/stories260K.gguf"));
  }
  server = await startRangeServer(root);
});
afterAll(() => server.close());
beforeEach(() => {
  Object.assign(server.behaviour, { ignoreRange: false, dropAfterBytes: null, dropCount: 0 });
  server.resetStats();
});

async function readAll(src: TensorSource, name: string): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of src.readRaw(src.tensors.find((t) => t.name === name)!, 64 * 1024)) parts.push(c);
  return new Uint8Array(parts.flatMap((p) => [...p]));
}

describe("openModel over HTTP", () => {
  it("openModel(url) opens a single safetensors file by URL with the config.json beside it", async () => {
    const src = await openModel(`${server.endpoint}/org/tiny/resolve/main/model.safetensors`);
    expect(src.format).toBe("safetensors");
    expect(src.config).toMatchObject({ dim: 8, tiedEmbeddings: true });
    expect(src.tensors.some((t) => t.name === "lm_head.weight")).toBe(true);
  });

  it("openModel(hf:org/name) opens a sharded repo through the index, with the endpoint pointed at a local server", async () => {
    const src = await openModel("hf:org/sharded", { endpoint: server.endpoint });
    expect(src.shards.map((s) => s.name)).toEqual([1, 2].map((i) =>
      `${server.endpoint}/org/sharded/resolve/main/model-0000${i}-of-00002.safetensors`));
    expect(src.config.tiedEmbeddings).toBe(false);
    const want = makeSafetensors({ x: { dtype: "F16", shape: [16, 8], values: wave(128, 20) } }).slice(-256);
    expect(await readAll(src, "lm_head.weight")).toEqual(want);
  });

  it("openModel(hf:org/name) uses $QUANTLENS_HF_ENDPOINT and the repo URL form too", async () => {
    process.env.QUANTLENS_HF_ENDPOINT = server.endpoint;
    try {
      expect((await openModel("hf:org/tiny@main")).tensors.length).toBe(21);
    } finally {
      delete process.env.QUANTLENS_HF_ENDPOINT;
    }
    expect((await openModel(`${server.endpoint}/org/tiny`)).config.nLayers).toBe(2);
  });

  it("openModel(hf:) reads one tensor of a big file fetching only about that tensor's bytes", async () => {
    const src = await openModel("hf:org/big", { endpoint: server.endpoint });
    const t = src.tensors.find((x) => x.name === "t5")!;
    server.resetStats();
    expect((await readAll(src, "t5")).length).toBe(t.byteLength);
    expect(server.stats.bytes).toBe(t.byteLength);
    const total = src.tensors.reduce((n, x) => n + x.byteLength, 0);
    expect(total).toBeGreaterThan(BIG_TENSORS * t.byteLength - 1);
  });

  it("openModel(hf:) opening the header alone costs a few KiB, not the file", async () => {
    const src = await openModel("hf:org/big", { endpoint: server.endpoint });
    expect(src.tensors).toHaveLength(BIG_TENSORS);
    expect(server.stats.bytes).toBeLessThan(MAX_EXTRA_BYTES);
  });

  it("openModel(hf:) still reads correct bytes from a server that ignores Range", async () => {
    server.behaviour.ignoreRange = true;
    const src = await openModel("hf:org/tiny", { endpoint: server.endpoint });
    expect(await readAll(src, "model.norm.weight")).toEqual(makeSafetensors({ x: { dtype: "F32", shape: [8], values: wave(8, 19) } }).slice(-32));
  });

  it("openModel(hf:) recovers from a connection drop mid-tensor by retrying the rest", async () => {
    const src = await openModel("hf:org/big", { endpoint: server.endpoint });
    Object.assign(server.behaviour, { dropAfterBytes: 100_000, dropCount: 1 });
    const bytes = await readAll(src, "t2");
    const dv = new DataView(bytes.buffer);
    expect(dv.getFloat32(0, true)).toBeCloseTo(wave(1, 2)[0]!, 6);
    expect(dv.getFloat32(bytes.length - 4, true)).toBeCloseTo(wave(BIG_TENSOR_ELEMENTS, 2).at(-1)!, 6);
  });

  it("openModel(hf:) ends in a FormatError naming the URL when every attempt drops", async () => {
    const src = await openModel("hf:org/big", { endpoint: server.endpoint });
    Object.assign(server.behaviour, { dropAfterBytes: 0, dropCount: Infinity }); // no byte: every attempt fails
    await expect(readAll(src, "t0")).rejects.toThrow(/org\/big\/resolve\/main\/model\.safetensors: bytes .*failed after/);
  });

  it("openModel(hf:) turns a 404 into a FormatError naming what is missing", async () => {
    const p = openModel("hf:org/absent", { endpoint: server.endpoint });
    await expect(p).rejects.toThrow(FormatError);
    await expect(p).rejects.toThrow(/hf:org\/absent: folder: holds no model\.safetensors/);
    const f = openModel("hf:org/tiny/missing.gguf", { endpoint: server.endpoint });
    await expect(f).rejects.toThrow(HttpStatusError);
    await expect(f).rejects.toThrow(/missing\.gguf: HTTP: status 404/);
  });

  it.skipIf(!findFixture("models/stories260K.gguf"))("openModel(hf:org/name/file.gguf) opens a named GGUF file", async () => {
    const src = await openModel("hf:ggml-org/models/stories260K.gguf", { endpoint: server.endpoint });
    expect(src.format).toBe("gguf");
    expect(src.tensors.some((t) => t.name === "model.layers.4.mlp.down_proj.weight")).toBe(true);
  });
});
