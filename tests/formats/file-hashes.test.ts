/** fileHashes: every shard hashed in chunks equals the hash of its whole bytes; run params that carry no valid list give []. */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fileHashesOf, HASH_CHUNK_BYTES } from "../../lib/formats/file-hashes.ts";
import { nodeFileHashes } from "../../lib/formats/file-hashes-node.ts";
import type { ByteSource } from "../../lib/formats/types.ts";

/** An in-memory shard counting its reads. */
function shard(name: string, bytes: Uint8Array): ByteSource & { reads: number } {
  const s = {
    name, size: bytes.length, reads: 0,
    read: async (off: number, len: number) => { s.reads++; return bytes.slice(off, off + len); },
    close: async () => undefined,
  };
  return s;
}

describe("fileHashes", () => {
  it("hashes each shard across chunk boundaries exactly as one whole-file hash, named by its last path part", async () => {
    const big = new Uint8Array(HASH_CHUNK_BYTES * 2 + 13).map((_, i) => (i * 31) & 255);
    const small = new TextEncoder().encode("abc");
    const shards = [shard("/models/x/model-00001.safetensors", big), shard("https://host/y/model-00002.safetensors?download=1", small)];
    const got = await nodeFileHashes({ shards });
    expect(got).toEqual([
      { file: "model-00001.safetensors", bytes: big.length, sha256: createHash("sha256").update(big).digest("hex") },
      // FIPS 180-2's "abc" vector
      { file: "model-00002.safetensors", bytes: 3, sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
    ]);
    expect(shards[0]!.reads).toBe(3); // memory stays at one chunk
  });

  it("fileHashesOf reads a run's params (object or JSON text) and drops malformed entries", () => {
    const ok = { file: "a.gguf", bytes: 5, sha256: "0".repeat(64) };
    expect(fileHashesOf({ files: [ok, { file: "b", bytes: "5", sha256: "x" }] })).toEqual([ok]);
    expect(fileHashesOf(JSON.stringify({ files: [ok] }))).toEqual([ok]);
    expect(fileHashesOf("{not json")).toEqual([]);
    expect(fileHashesOf(null)).toEqual([]);
  });
});
