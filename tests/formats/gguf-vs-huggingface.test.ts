/**
 * Our streaming GGUF reader against an independent parser of the same files:
 * huggingface.js's @huggingface/gguf (tensor infos, data offset, metadata values).
 */
import { gguf, GGMLQuantizationType } from "@huggingface/gguf";
import { describe, expect, it } from "vitest";
import { openModel } from "../../lib/formats/open.ts";
import { nodeRuntime } from "../../lib/formats/open-node.ts";
import { GGML_TYPES } from "../../lib/formats/gguf.ts";
import { fixture } from "../helpers/fixtures.ts";

const FILES = [
  "models/stories260K.gguf",
  "models/gguf-quants/synth-llama-f32.gguf",
  "models/gguf-quants/synth-llama-Q8_0.gguf",
  "models/gguf-quants/synth-llama-Q4_0.gguf",
  "models/gguf-quants/synth-llama-Q4_K_M.gguf",
  "models/gguf-quants/synth-llama-Q6_K.gguf",
];

/** Metadata keys the upstream parser adds about the header itself. */
const HEADER_KEYS = new Set(["version", "tensor_count", "kv_count"]);

describe("openGguf(src) agrees with @huggingface/gguf", () => {
  it("GGML_TYPES uses upstream's GGMLQuantizationType ids for every type we read", () => {
    for (const [id, name] of Object.entries(GGML_TYPES)) {
      expect(GGMLQuantizationType[name as keyof typeof GGMLQuantizationType], name).toBe(Number(id));
    }
  });

  for (const rel of FILES) {
    it(`reads the same tensor infos and metadata in ${rel}`, async (ctx) => {
      const path = await fixture(rel);
      if (!path) return ctx.skip();
      const [ours, ref] = [await openModel(path, { runtime: nodeRuntime }), await gguf(path, { allowLocalFile: true })];
      try {
        const byFileName = new Map(ours.tensors.map((t) => [t.fileName, t]));
        expect(ref.tensorInfos.length).toBe(new Set(ours.tensors.map((t) => t.fileName)).size);
        for (const r of ref.tensorInfos) {
          const t = byFileName.get(r.name)!;
          expect(t, r.name).toBeDefined();
          expect(t.shape, r.name).toEqual(r.shape.map(Number).reverse()); // ggml ne0 first -> PyTorch order
          expect(GGML_TYPES[r.dtype], r.name).toBe(t.dtype);
          expect(t.byteOffset, r.name).toBe(Number(ref.tensorDataOffset + r.offset));
        }
        for (const [key, value] of Object.entries(ref.metadata)) {
          if (HEADER_KEYS.has(key)) continue;
          const mine = ours.metadata[key];
          if (Array.isArray(value)) expect((mine as unknown[]).map(String), key).toEqual(value.map(String));
          else expect(mine, key).toEqual(typeof value === "bigint" ? Number(value) : value);
        }
      } finally {
        await ours.close();
      }
    });
  }
});
