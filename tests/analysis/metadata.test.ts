/**
 * lib/analysis/metadata.ts: the file's own metadata as key/value rows. On the llama.cpp GGUF
 * fixture the GGUF keys are listed (general.architecture = llama) and the vocabulary array is
 * collapsed to its first items and its length; nested objects flatten to dotted keys; search
 * matches keys and values.
 */
import { describe, expect, it } from "vitest";
import { openModel } from "../../lib/formats/open.ts";
import { nodeRuntime } from "../../lib/formats/open-node.ts";
import { MAX_INLINE_ITEMS, metadataRows, searchMetadata } from "../../lib/analysis/metadata.ts";
import { fixture } from "../helpers/fixtures.ts";

describe("metadata rows", () => {
  it("lists a GGUF's key/values with long arrays collapsed to their length", async (ctx) => {
    const path = await fixture("models/stories260K.gguf");
    if (!path) return ctx.skip();
    const source = await openModel(path, { runtime: nodeRuntime });
    try {
      const rows = metadataRows(source.metadata);
      expect(rows.find((r) => r.key === "general.architecture")?.value).toBe("llama");
      const tokens = rows.find((r) => r.key === "tokenizer.ggml.tokens");
      expect(tokens?.type).toBe("array");
      expect(tokens!.length).toBe(source.config.vocabSize);
      expect(tokens!.value).toMatch(new RegExp(`… ${tokens!.length! - MAX_INLINE_ITEMS} more\\]$`));
      expect(tokens!.value.length).toBeLessThan(400);
      expect(searchMetadata(rows, "ARCHITECTURE").map((r) => r.key)).toContain("general.architecture");
    } finally {
      await source.close();
    }
  });

  it("flattens nested objects and keeps short arrays whole", () => {
    const rows = metadataRows({ format: "pt", nested: { a: 1, b: { c: "x" } }, opset: [{ domain: "", version: 17 }], empty: {} });
    expect(rows).toEqual([
      { key: "empty", type: "object", length: null, value: "{}" },
      { key: "format", type: "string", length: null, value: "pt" },
      { key: "nested.a", type: "number", length: null, value: "1" },
      { key: "nested.b.c", type: "string", length: null, value: "x" },
      { key: "opset", type: "array", length: 1, value: '[{"domain":"","version":17}]' },
    ]);
    expect(searchMetadata(rows, "17").map((r) => r.key)).toEqual(["opset"]);
  });
});
