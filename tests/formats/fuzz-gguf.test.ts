/**
 * Mutation fuzzing of the GGUF and ONNX readers on real files: bytes in the header region
 * are overwritten (random bytes, 0xff runs, 64-bit extremes) or the file is cut inside it.
 * Every outcome must be a TensorSource whose tensors read back, or a FormatError, in bounded
 * time. Deterministic (seeded PRNG).
 */
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { FormatError } from "../../lib/formats/errors.ts";
import { openGguf } from "../../lib/formats/gguf.ts";
import { openOnnx } from "../../lib/formats/onnx.ts";
import type { TensorSource } from "../../lib/formats/types.ts";
import { decodeToF32 } from "../../lib/tensor/decode.ts";
import { fixture, readFixture } from "../helpers/fixtures.ts";
import { memorySource } from "../helpers/memory-source.ts";
import { mulberry32 } from "../../lib/tensor/prng.ts";

/** Mutations per file. */
const MUTATIONS = 300;
/** Bytes at the start of the file that get mutated (GGUF: header, kvs and tokenizer; ONNX: graph). */
const HEADER_REGION = 8 * 1024;
/** Wall-clock budget for one open + read of a mutated file. */
const MAX_MS_PER_CASE = 2000;

/** One mutated copy of `good`, changed only inside [0, region). */
function mutate(good: Uint8Array, r: () => number, region: number): Uint8Array {
  const at = (n: number) => Math.floor(r() * Math.max(1, region - n));
  const kind = Math.floor(r() * 5);
  if (kind === 0) return good.slice(0, at(0)); // truncated inside the header
  const b = good.slice();
  if (kind === 1) for (let i = 0, n = 1 + Math.floor(r() * 8); i < n; i++) b[at(1)] = Math.floor(r() * 256);
  if (kind === 2) { const p = at(8); b.fill(0xff, p, p + 1 + Math.floor(r() * 8)); }
  if (kind === 3) { const p = at(8); new DataView(b.buffer).setBigUint64(p, [0n, 2n ** 63n, 2n ** 64n - 1n, 2n ** 32n][Math.floor(r() * 4)]!, true); }
  if (kind === 4) { const p = at(1); b[p] = b[p]! ^ (1 << Math.floor(r() * 8)); }
  return b;
}

/** Opens a mutated file and reads every tensor; returns "ok" or "FormatError", rethrows anything else. */
async function attempt(open: () => Promise<TensorSource>): Promise<string> {
  try {
    const s = await open();
    for (const t of s.tensors) {
      for await (const c of s.readRaw(t, 256 * 1024)) decodeToF32(t.dtype, c);
    }
    return "ok";
  } catch (e) {
    if (e instanceof FormatError) return "FormatError";
    throw e;
  }
}

async function fuzz(good: Uint8Array, seed: number, open: (b: Uint8Array) => Promise<TensorSource>) {
  const r = mulberry32(seed);
  const outcomes: Record<string, number> = {};
  for (let i = 0; i < MUTATIONS; i++) {
    const bytes = mutate(good, r, Math.min(HEADER_REGION, good.length));
    const t0 = performance.now();
    const outcome = await attempt(() => open(bytes)).catch((e: unknown) => {
      throw new Error(`mutation ${i}: ${(e as Error).stack}`);
    });
    expect(performance.now() - t0, `mutation ${i}`).toBeLessThan(MAX_MS_PER_CASE);
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  return outcomes;
}

describe("fuzzing header mutations", async () => {
  const gguf = await fixture("models/stories260K.gguf");
  const onnx = await fixture("models/stories260K-onnx/model.onnx");

  it.skipIf(!gguf)("openGguf(mutated stories260K.gguf) succeeds or throws FormatError", async () => {
    const good = readFixture(gguf!);
    const outcomes = await fuzz(good, 1234, (b) => openGguf(memorySource(b, "fuzz.gguf")));
    expect(outcomes.FormatError).toBeGreaterThan(MUTATIONS / 10);
  }, 120_000);

  it.skipIf(!onnx)("openOnnx(mutated model.onnx) succeeds or throws FormatError", async () => {
    const good = readFixture(onnx!);
    const data = readFixture(join(dirname(onnx!), "stories260K.onnx.data"));
    const outcomes = await fuzz(good, 5678, (b) => openOnnx(memorySource(b, "fuzz.onnx"), {
      resolveExternal: async (loc) => memorySource(data, loc),
    }));
    expect(outcomes.FormatError).toBeGreaterThan(MUTATIONS / 10);
  }, 120_000);
});
