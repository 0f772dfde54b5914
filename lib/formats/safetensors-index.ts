/**
 * Sharded safetensors: model.safetensors.index.json's weight_map names the shard of every
 * tensor; the shards are opened together and each tensor is checked to be where it says.
 */
import { lazyShards } from "./lazy-shards.ts";
import { FormatError, checkCount } from "./errors.ts";
import { configFromHf } from "./hf-config.ts";
import { MAX_SHARDS } from "./limits.ts";
import { openSafetensors } from "./safetensors.ts";
import type { ByteSource, FileSet, TensorSource } from "./types.ts";

export const INDEX_FILE = "model.safetensors.index.json";

/** A relative path that stays inside the folder (no absolute path, no `..`). */
const SAFE_PATH_RE = /^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[^\\\0]+$/;

/** Opens the shards named by an index's weight_map and checks each tensor is where it says. */
export async function openIndexed(
  set: FileSet, name: string, indexFile: string, index: Record<string, unknown>, configJson: Record<string, unknown> | null,
): Promise<TensorSource> {
  const where = `${name}/${indexFile}`;
  const wm = index["weight_map"];
  if (typeof wm !== "object" || wm === null || Array.isArray(wm)) throw new FormatError(where, "weight_map", "is not an object");
  const map = wm as Record<string, unknown>;
  const seen = new Set<string>(); // a Set: includes() on an array was quadratic in the shard count
  for (const [tensor, f] of Object.entries(map)) {
    if (typeof f !== "string" || !SAFE_PATH_RE.test(f)) {
      throw new FormatError(where, `weight_map "${tensor}"`, `${JSON.stringify(f)} is not a file inside the folder`);
    }
    seen.add(f);
  }
  const files = [...seen];
  checkCount(where, "shard count", files.length, MAX_SHARDS);
  if (files.length === 0) throw new FormatError(where, "weight_map", "names no shard");
  const shards = await lazyShards((f) => set.open(f), files); // at most MAX_OPEN_SHARDS open at once
  const closeAll = () => Promise.all(shards.map((s) => s?.close().catch(() => undefined)));
  const missing = files.find((_, i) => !shards[i]);
  if (missing) { await closeAll(); throw new FormatError(where, `shard "${missing}"`, "is missing"); }
  try {
    const source = await openSafetensors(shards as ByteSource[], {
      name, config: configJson ? configFromHf(configJson) : undefined,
      metadata: { ...(configJson ? { config: configJson } : {}), index },
    });
    for (const t of source.tensors) {
      const want = map[t.fileName];
      if (want !== undefined && want !== files[t.shard]) {
        throw new FormatError(where, `weight_map "${t.fileName}"`, `says ${String(want)}, but the tensor is in ${files[t.shard]}`);
      }
    }
    const found = new Set(source.tensors.map((t) => t.fileName));
    const absent = Object.keys(map).find((t) => !found.has(t));
    if (absent) throw new FormatError(where, `weight_map "${absent}"`, `not found in ${String(map[absent])}`);
    return source;
  } catch (e) {
    await closeAll();
    throw e;
  }
}
