/**
 * Direct reads (lib/stats/engine/direct.ts): computeTensorStats and StatsPool on a safetensors file read
 * chunk by chunk straight into wasm memory (FileHandle.read into StatsAccumulator.reserveChunk),
 * against the same tensor streamed from memory through readRaw.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSafetensors } from "../../../lib/formats/safetensors.ts";
import { openFileSource } from "../../../lib/formats/source-node.ts";
import type { TensorSource } from "../../../lib/formats/types.ts";
import { computeTensorStats, StatsAccumulator } from "../../../lib/stats/index.ts";
import { directShard } from "../../../lib/stats/engine/direct.ts";
import type { StatsPool } from "../../../lib/stats/engine/pool.ts";
import { createNodeStatsPool } from "../../../lib/stats/engine/pool-node.ts";
import { makeSafetensors, tmpDir } from "../../helpers/make-safetensors.ts";
import { f32Source, memorySource, memoryTensor } from "../../../lib/formats/memory-tensor-source.ts";
import { cosines, F32_BLOCK_SUM_REL_ERROR, relError } from "../reference.ts";

/** pool vs one thread: per-worker shifts round the f32 block sums differently (pool.test.ts) */
const MAX_POOL_REL_ERROR = 8 * F32_BLOCK_SUM_REL_ERROR;
const [ROWS, COLS] = [211, 999];
const x = cosines(ROWS * COLS, 9);
x[12345] = NaN;
const i8 = Array.from({ length: 5000 }, (_, i) => ((i * 37) % 255) - 127);
let file: TensorSource;
let pool: StatsPool;

beforeAll(async () => {
  const path = join(tmpDir(), "direct.safetensors");
  writeFileSync(path, makeSafetensors({
    "w.weight": { dtype: "F32", shape: [ROWS, COLS], values: Array.from(x) },
    "q.weight": { dtype: "I8", shape: [50, 100], values: i8 },
  }));
  file = await openSafetensors(await openFileSource(path));
  pool = createNodeStatsPool(2);
});
afterAll(async () => {
  await file.close();
  await pool.close();
});

describe("computeTensorStats(fileSource, t) with direct reads", () => {
  it("directShard(source, t) picks the file shard of a safetensors source, not an in-memory source", () => {
    expect(directShard(file, file.tensors.find((t) => t.name === "w.weight")!)).toBe(file.shards[0]);
    const { source, t } = f32Source(x);
    expect(directShard(source, t)).toBeNull();
  });

  for (const retainBytes of [undefined, 0]) {
    it(`equals the readRaw path exactly, chunks of 40000 bytes (${retainBytes === 0 ? "two alternating slots, re-read pass 2" : "retained"})`, async () => {
      const t = file.tensors.find((t) => t.name === "w.weight")!;
      const seen: number[] = [];
      const got = await computeTensorStats(file, t, { chunkBytes: 40_000, retainBytes, onProgress: (b) => seen.push(b) });
      const { source, t: mt } = f32Source(x, [ROWS, COLS], 40_000);
      const want = await computeTensorStats(source, mt, { retainBytes });
      expect({ ...got, name: "x" }).toEqual(want);
      expect(seen.at(-1)).toBe(retainBytes === 0 ? 2 * x.byteLength : x.byteLength);
    });
  }

  it("decodes a non-kernel dtype (I8) read through a scratch buffer", async () => {
    const t = file.tensors.find((t) => t.name === "q.weight")!;
    const bytes = new Uint8Array(new Int8Array(i8).buffer);
    const mt = memoryTensor("q.weight", "I8", [50, 100], bytes.length);
    const want = await computeTensorStats(memorySource(new Map([["q.weight", bytes]]), [mt], 1000), mt);
    expect(await computeTensorStats(file, t, { chunkBytes: 1000 })).toEqual({ ...want, name: t.name });
  });

  it("StatsPool reads the file into its buffers and matches the single thread", async () => {
    const t = file.tensors.find((t) => t.name === "w.weight")!;
    const one = await computeTensorStats(file, t);
    const many = await pool.computeTensorStats(file, t, { chunkBytes: 40_000 });
    for (const k of ["mean", "std", "kurtosis"] as const) expect(relError(many[k], one[k], 1)).toBeLessThan(MAX_POOL_REL_ERROR);
    const exact = (s: typeof one) => [s.count, s.min, s.max, s.nan_count, s.zero_count, s.outlier_fraction, s.histogram, s.channels];
    expect(exact(many)).toEqual(exact(one));
  });
});

describe("StatsAccumulator.reserveChunk / commitChunk", () => {
  it("with deferPass1, a chunk reserved while the previous one is pending gives the same state as push", async () => {
    const t = { dtype: "F32" as const, shape: [ROWS, COLS], numel: ROWS * COLS };
    const bytes = new Uint8Array(x.buffer), cut = 4 * COLS * 100;
    const a = await StatsAccumulator.create(t, { deferPass1: true });
    const v0 = a.reserveChunk(cut);
    v0.set(bytes.subarray(0, cut));
    const v1 = a.reserveChunk(bytes.length - cut);
    v1.set(bytes.subarray(cut));
    a.commitChunk();
    a.commitChunk();
    const b = await StatsAccumulator.create(t);
    b.push(bytes.subarray(0, cut));
    b.push(bytes.subarray(cut));
    expect(a.state()).toEqual(b.state());
    expect(() => a.commitChunk()).toThrow(/without reserveChunk/);
    a.release();
    b.release();
  });
});
