/** fileHashes with node:crypto's SHA-256 (native, far faster than the JS one), for the CLI. */
import { createHash } from "node:crypto";
import { fileHashes, type FileHash } from "./file-hashes.ts";
import type { TensorSource } from "./types.ts";

/** SHA-256 of every shard of `source`, read again from its start. */
export function nodeFileHashes(source: Pick<TensorSource, "shards">, onBytes?: (done: number) => void): Promise<FileHash[]> {
  return fileHashes(source, () => {
    const h = createHash("sha256");
    return { update: (c) => void h.update(c), digest: () => h.digest("hex") };
  }, onBytes);
}
