import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FormatError } from "../../lib/formats/errors.ts";
import { openModel } from "../../lib/formats/open.ts";
import { nodeRuntime } from "../../lib/formats/open-node.ts";
import type { TensorSource } from "../../lib/formats/types.ts";
import { findFixture, fixture } from "../helpers/fixtures.ts";
import { makeSafetensors, tinyConfig, tinyLlama, tmpDir, writeModelDir, TINY } from "../helpers/make-safetensors.ts";

/** Every tensor a Llama has, lm_head included (DESIGN.md "Tensor names"). */
function llamaNames(layers: number): string[] {
  const per = ["input_layernorm", "self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
    "post_attention_layernorm", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"];
  const names = ["model.embed_tokens.weight", "model.norm.weight", "lm_head.weight"];
  for (let i = 0; i < layers; i++) for (const p of per) names.push(`model.layers.${i}.${p}.weight`);
  return names.sort();
}

async function allBytes(src: TensorSource, name: string): Promise<number> {
  let n = 0;
  for await (const c of src.readRaw(src.tensors.find((t) => t.name === name)!)) n += c.length;
  return n;
}

describe("openModel with nodeRuntime (local paths)", () => {
  it("openModel(folder) with nodeRuntime reads config.json + model.safetensors and adds the tied lm_head", async () => {
    const dir = tmpDir();
    writeModelDir(dir, tinyLlama(), tinyConfig(true));
    const src = await openModel(dir, { runtime: nodeRuntime });
    expect(src.format).toBe("safetensors");
    expect(src.name).toBe(dir);
    expect(src.tensors.map((t) => t.name).sort()).toEqual(llamaNames(TINY.layers));
    expect(src.config).toEqual({ architecture: "LlamaForCausalLM", dim: 8, hiddenDim: 12, nLayers: 2, nHeads: 2, nKvHeads: 1,
      vocabSize: 16, contextLength: 64, ropeTheta: 10000, normEps: 1e-5, tiedEmbeddings: true });
    expect(src.metadata.config).toMatchObject({ hidden_size: 8 });
    await src.close();
  });

  it("openModel(folder) with nodeRuntime opens 2 shards through model.safetensors.index.json", async () => {
    const dir = tmpDir();
    writeModelDir(dir, tinyLlama("BF16", false), tinyConfig(false), 2);
    const src = await openModel(dir, { runtime: nodeRuntime });
    expect(src.shards).toHaveLength(2);
    expect(new Set(src.tensors.map((t) => t.shard))).toEqual(new Set([0, 1]));
    expect(src.tensors.map((t) => t.name).sort()).toEqual(llamaNames(TINY.layers));
    expect(await allBytes(src, "lm_head.weight")).toBe(16 * 8 * 2);
    await src.close();
    const viaIndex = await openModel(join(dir, "model.safetensors.index.json"), { runtime: nodeRuntime });
    expect(viaIndex.tensors).toHaveLength(src.tensors.length);
    await viaIndex.close();
  });

  it("openModel(file.safetensors) with nodeRuntime picks up the config.json beside it", async () => {
    const dir = tmpDir();
    writeModelDir(dir, tinyLlama(), tinyConfig(true));
    const src = await openModel(join(dir, "model.safetensors"), { runtime: nodeRuntime });
    expect(src.config.nHeads).toBe(2);
    expect(src.tensors.some((t) => t.name === "lm_head.weight")).toBe(true);
    await src.close();
  });

  it("openModel(folder) with nodeRuntime rejects an index naming a missing shard or a path outside the folder", async () => {
    const dir = tmpDir();
    writeModelDir(dir, tinyLlama(), tinyConfig(), 2);
    writeFileSync(join(dir, "model.safetensors.index.json"), JSON.stringify({ weight_map: { x: "gone.safetensors" } }));
    await expect(openModel(dir, { runtime: nodeRuntime })).rejects.toThrow(/model\.safetensors\.index\.json: shard "gone\.safetensors": is missing/);
    writeFileSync(join(dir, "model.safetensors.index.json"), JSON.stringify({ weight_map: { x: "../../etc/passwd" } }));
    await expect(openModel(dir, { runtime: nodeRuntime })).rejects.toThrow(/weight_map "x": .* is not a file inside the folder/);
  });

  it("openModel(path) with nodeRuntime rejects a missing path, an empty folder and an unknown file type with FormatError", async () => {
    const dir = tmpDir();
    await expect(openModel(join(dir, "nope"), { runtime: nodeRuntime })).rejects.toThrow(FormatError);
    await expect(openModel(dir, { runtime: nodeRuntime })).rejects.toThrow(/folder: holds no model\.safetensors/);
    writeFileSync(join(dir, "notes.txt"), "hello there, not a model");
    await expect(openModel(join(dir, "notes.txt"), { runtime: nodeRuntime })).rejects.toThrow(/notes\.txt: format: not a model file/);
  });

  it("openModel(folder) with nodeRuntime refuses to guess between several .gguf files", async () => {
    const dir = tmpDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "a.gguf"), "GGUF");
    writeFileSync(join(dir, "b.gguf"), "GGUF");
    await expect(openModel(dir, { runtime: nodeRuntime })).rejects.toThrow(/holds several \.gguf files \(a\.gguf, b\.gguf\)/);
  });
});

describe("openModel (browser inputs)", () => {
  it("openModel(blob) dispatches a safetensors Blob by its header", async () => {
    const src = await openModel(new Blob([makeSafetensors(tinyLlama())]));
    expect(src.format).toBe("safetensors");
    expect(src.tensors.length).toBe(1 + 9 * TINY.layers + 1 + 1); // no config: llama without lm_head → tied alias
  });

  it("openModel(files) opens a picked folder's config.json and shards", async () => {
    const dir = tmpDir();
    writeModelDir(dir, tinyLlama("F16"), tinyConfig(true), 2);
    const { readdirSync, readFileSync } = await import("node:fs");
    const files = readdirSync(dir).map((f) => new File([readFileSync(join(dir, f))], f));
    const src = await openModel(files);
    expect(src.shards).toHaveLength(2);
    expect(src.config.dim).toBe(8);
    expect(src.tensors.map((t) => t.name).sort()).toEqual(llamaNames(TINY.layers));
  });

  it("openModel(path) without a runtime (the browser) explains that local paths need nodeRuntime", async () => {
    await expect(openModel("/tmp/model.safetensors")).rejects.toThrow(/local paths need a runtime .*nodeRuntime/);
  });
});

describe("openModel with nodeRuntime: dispatch to the other readers", () => {
  const cases: [string, string][] = [
    ["models/stories260K.gguf", "gguf"], ["models/stories260K.bin", "llama2c"],
    ["models/stories260K-onnx/model.onnx", "onnx"], ["models/stories260K-onnx", "onnx"],
  ];
  for (const [rel, format] of cases) {
    it.skipIf(!findFixture(rel))(`openModel(${rel}) with nodeRuntime opens it as ${format}`, async () => {
      const src = await openModel(findFixture(rel)!, { runtime: nodeRuntime });
      expect(src.format).toBe(format);
      expect(src.tensors.some((t) => t.name === "model.layers.4.mlp.down_proj.weight")).toBe(true);
      await src.close();
    });
  }
});

describe("stories260K-hf fixture", async () => {
  const path = await fixture("models/stories260K-hf/model.safetensors");
  it.skipIf(!path)("openModel(stories260K-hf) with nodeRuntime gives Llama names, shapes, config and the tied lm_head", async () => {
    const src = await openModel(join(path!, ".."), { runtime: nodeRuntime });
    expect(src.tensors.map((t) => t.name).sort()).toEqual(llamaNames(5));
    const shape = (n: string) => src.tensors.find((t) => t.name === n)!.shape;
    expect(shape("model.embed_tokens.weight")).toEqual([512, 64]);
    expect(shape("model.layers.4.self_attn.k_proj.weight")).toEqual([32, 64]);
    expect(shape("model.layers.0.mlp.down_proj.weight")).toEqual([64, 172]);
    expect(src.config).toMatchObject({ architecture: "LlamaForCausalLM", dim: 64, hiddenDim: 172, nLayers: 5, nHeads: 8,
      nKvHeads: 4, vocabSize: 512, contextLength: 512, tiedEmbeddings: true });
    const embed = src.tensors.find((t) => t.name === "model.embed_tokens.weight")!;
    expect(src.tensors.find((t) => t.name === "lm_head.weight")).toMatchObject({ dtype: "F32", byteOffset: embed.byteOffset });
    expect(src.tensors.every((t) => t.dtype === "F32")).toBe(true);
    await src.close();
  });
});
