/**
 * Issue 12, class 5: a folder of many shards opens them lazily, with a bounded number of files
 * open at once (a 25k-shard folder failed with EMFILE when every shard was opened together).
 */
import { expect, it } from "vitest";
import { openLocation } from "../../lib/formats/open-folder.ts";
import { MAX_OPEN_SHARDS } from "../../lib/formats/lazy-shards.ts";
import type { ByteSource, FileSet } from "../../lib/formats/types.ts";
import { makeSafetensors, wave } from "../helpers/make-safetensors.ts";
import { memorySource } from "../helpers/memory-source.ts";

/** Shards in the crafted folder: many times the open-file bound. */
const SHARDS = 600;

it("openLocation(folder of 600 shards) never holds more than MAX_OPEN_SHARDS open, and reads every tensor", { timeout: 60_000 }, async () => {
  const files = new Map<string, Uint8Array>();
  const weightMap: Record<string, string> = {};
  for (let i = 0; i < SHARDS; i++) {
    const f = `model-${i}.safetensors`;
    files.set(f, makeSafetensors({ [`t${i}`]: { dtype: "F32", shape: [4], values: wave(4, i) } }));
    weightMap[`t${i}`] = f;
  }
  files.set("model.safetensors.index.json", new TextEncoder().encode(JSON.stringify({ weight_map: weightMap })));
  let open = 0, peak = 0;
  const set: FileSet = {
    name: "many",
    list: async () => [...files.keys()],
    open: async (f) => {
      const bytes = files.get(f);
      if (!bytes) return null;
      const s = memorySource(bytes, f);
      peak = Math.max(peak, ++open);
      return { ...s, close: async () => { open--; } } as ByteSource;
    },
  };
  const model = await openLocation({ kind: "folder", set });
  expect(model.tensors).toHaveLength(SHARDS);
  for (const t of model.tensors) for await (const _ of model.readRaw(t)) { /* read */ }
  await model.close();
  expect(peak).toBeLessThanOrEqual(MAX_OPEN_SHARDS + 1); // + the index file being read
  expect(open).toBe(0);
});
