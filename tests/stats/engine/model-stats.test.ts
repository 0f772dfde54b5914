import { expect, it } from "vitest";
import { openModel } from "../../../lib/formats/open.ts";
import { nodeRuntime } from "../../../lib/formats/open-node.ts";
import type { TensorSource } from "../../../lib/formats/types.ts";
import { computeTensorStats, modelStats } from "../../../lib/stats/index.ts";
import { fixture } from "../../helpers/fixtures.ts";

it("modelStats(source, tensors) reads a tied lm_head's bytes once and reports it under its own name", async (ctx) => {
  const path = await fixture("models/stories260K.bin");
  if (!path) return ctx.skip();
  const source = await openModel(path, { runtime: nodeRuntime });
  try {
    const reads = new Map<string, number>();
    // readRaw only (no readInto on the shards), counting reads per tensor
    const counting: TensorSource = Object.create(source, {
      shards: { value: source.shards.map((s) => ({ ...s, name: s.name, size: s.size, read: s.read.bind(s), close: s.close.bind(s), readInto: undefined })) },
      readRaw: { value: (t: Parameters<TensorSource["readRaw"]>[0], n?: number) => {
        reads.set(t.name, (reads.get(t.name) ?? 0) + 1);
        return source.readRaw(t, n);
      } },
    });
    const wanted = source.tensors.filter((t) => t.name === "model.embed_tokens.weight" || t.name === "lm_head.weight");
    const progress: number[] = [];
    const out = [];
    for await (const s of modelStats(counting, wanted, { onProgress: (b) => progress.push(b) })) out.push(s);

    expect(out.map((s) => s.name)).toEqual(wanted.map((t) => t.name));
    expect(reads.get("lm_head.weight")).toBeUndefined();
    expect(reads.get("model.embed_tokens.weight")).toBeGreaterThan(0);
    const { name: _a, ...embed } = out[0]!;
    const { name: _b, ...head } = out[1]!;
    expect(head).toEqual(embed);
    expect(out[0]).toEqual(await computeTensorStats(source, wanted[0]!));
    expect(progress.at(-1)).toBe(wanted[0]!.byteLength + wanted[1]!.byteLength);
  } finally {
    await source.close();
  }
});
