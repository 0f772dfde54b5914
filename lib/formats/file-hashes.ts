/**
 * SHA-256 of every file a model was read from (its shards), streamed in chunks so memory stays
 * at one chunk: the report names the exact bytes its numbers came from. The hash function is the
 * runtime's (node:crypto in the CLI); this module stays browser-safe.
 */
import type { TensorSource } from "./types.ts";

/** One file of a model: its name as opened, size in bytes, and SHA-256 (hex). */
export interface FileHash { file: string; bytes: number; sha256: string }

/** An incremental hash: update with chunks in order, then digest once as hex. */
export interface Hasher { update(chunk: Uint8Array): void; digest(): string }

/** bytes read per step: large enough for disk throughput, small next to any model */
export const HASH_CHUNK_BYTES = 8 << 20;

/** The last part of a path or URL, which is what a reader of the report recognises. */
const baseName = (name: string) => name.replace(/[?#].*$/, "").replace(/^.*[\\/]/, "") || name;

/** Hashes each shard of `source` in order (one read at a time). */
export async function fileHashes(source: Pick<TensorSource, "shards">, hasher: () => Hasher, onBytes?: (done: number) => void): Promise<FileHash[]> {
  const out: FileHash[] = [];
  let done = 0;
  for (const shard of source.shards) {
    const h = hasher();
    for (let off = 0; off < shard.size; off += HASH_CHUNK_BYTES) {
      const chunk = await shard.read(off, Math.min(HASH_CHUNK_BYTES, shard.size - off));
      h.update(chunk);
      done += chunk.length;
      onBytes?.(done);
    }
    out.push({ file: baseName(shard.name), bytes: shard.size, sha256: h.digest() });
  }
  return out;
}

/** The `files` a run's params carry (lib/cli records them), or [] when absent or malformed. */
export function fileHashesOf(params: unknown): FileHash[] {
  const p = typeof params === "string" ? safeJson(params) : params;
  const files = (p as { files?: unknown } | null)?.files;
  if (!Array.isArray(files)) return [];
  return files.filter((f): f is FileHash => typeof f?.file === "string" && typeof f?.bytes === "number" && typeof f?.sha256 === "string" && /^[0-9a-f]{64}$/.test(f.sha256));
}

function safeJson(text: string): unknown {
  try { return JSON.parse(text); } catch { return null; }
}
