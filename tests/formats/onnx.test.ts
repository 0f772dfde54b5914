/**
 * openOnnx on the torch.onnx export of stories260K (names, layout, values identical to the
 * GGUF form) and on hand-built protobuf models: every data encoding, naming from the
 * graph, and bad input.
 */
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { BufferedReader } from "../../lib/formats/buffered-reader.ts";
import { FormatError } from "../../lib/formats/errors.ts";
import { openGguf } from "../../lib/formats/gguf.ts";
import { MAX_PROTO_DEPTH } from "../../lib/formats/limits.ts";
import { openOnnx } from "../../lib/formats/onnx.ts";
import { ProtoReader } from "../../lib/formats/protobuf.ts";
import type { ByteSource } from "../../lib/formats/types.ts";
import { fixture, readFixture } from "../helpers/fixtures.ts";
import { memorySource } from "../helpers/memory-source.ts";
import { Msg, modelProto, nodeProto, tensorProto } from "../helpers/proto-writer.ts";
import { permuteRows, tensorF32, transpose } from "../helpers/read-tensor.ts";

const f32 = (v: number[]) => new Uint8Array(new Float32Array(v).buffer);

/** Opens the stories260K ONNX pair from memory. */
async function openStories(onnxPath: string) {
  const dataPath = join(dirname(onnxPath), "stories260K.onnx.data");
  return openOnnx(memorySource(readFixture(onnxPath), onnxPath), {
    resolveExternal: async (loc) => memorySource(readFixture(join(dirname(onnxPath), loc)), dataPath),
  });
}

describe("openOnnx(source) on stories260K-onnx", async () => {
  const onnx = await fixture("models/stories260K-onnx/model.onnx");
  const gguf = await fixture("models/stories260K.gguf");

  it.skipIf(!onnx)("names every weight with its HF name; MatMul weights are in_out, lm_head out_in", async () => {
    const s = await openStories(onnx!);
    expect(s.shards).toHaveLength(2);
    expect(s.tensors[0]).toMatchObject({ name: "model.embed_tokens.weight", fileName: "m.lm_head.weight", shape: [512, 64], shard: 1 });
    expect(s.tensors.find((t) => t.name === "lm_head.weight")).toMatchObject({ fileName: "m.lm_head.weight", layout: "out_in" });
    // the RoPE inv_freq buffer is a graph constant, not a model tensor (listed with the constants in the metadata)
    expect(s.tensors.find((t) => t.name === "expand_1")).toBeUndefined();
    expect(s.metadata["onnx.constants"]).toContain("expand_1");
    expect(s.tensors.find((t) => t.name === "model.layers.0.mlp.down_proj.weight")).toMatchObject({ fileName: "val_245", shape: [172, 64], layout: "in_out" });
    expect(s.tensors.find((t) => t.name === "model.layers.4.self_attn.k_proj.weight")).toMatchObject({ shape: [64, 32], layout: "in_out" });
    expect(s.tensors.filter((t) => /^model\.layers\.\d+\./.test(t.name))).toHaveLength(45);
    expect(s.config).toMatchObject({ dim: 64, vocabSize: 512, nLayers: 5, hiddenDim: 172, tiedEmbeddings: true });
    expect(s.metadata).toMatchObject({ "onnx.producer_name": "torch-onnx-export", "onnx.opset_import": [{ domain: "", version: 18 }] });
    expect(s.metadata["onnx.constants"]).toContain("val_4");
  });

  it.skipIf(!onnx || !gguf)("every weight equals the GGUF tensor bit for bit (transposed; q/k rows permuted as in the HF export)", async () => {
    const s = await openStories(onnx!);
    const g = await openGguf(memorySource(readFixture(gguf!), gguf!));
    let compared = 0;
    for (const t of s.tensors) {
      const u = g.tensors.find((x) => x.name === t.name);
      if (!u) continue;
      let want = await tensorF32(g, u);
      if (/\.(q|k)_proj\./.test(t.name)) want = permuteRows(want, u.shape[0]!, u.shape[1]!, 8);
      const got = await tensorF32(s, t);
      const asOutIn = t.layout === "in_out" ? transpose(got, t.shape[0]!, t.shape[1]!) : got;
      expect(Buffer.from(asOutIn.buffer).equals(Buffer.from(want.buffer)), t.name).toBe(true);
      compared++;
    }
    expect(compared).toBe(48);
  });
});

describe("openOnnx(source) on hand-built models", () => {
  it("reads raw_data, packed and unpacked float_data, int32_data as F16 bits and BOOL", async () => {
    const unpacked = tensorProto("u", [2], 1);
    unpacked.fixed32(4, f32([1.5])).fixed32(4, f32([-2]));
    const model = modelProto([
      tensorProto("raw", [2, 2], 1).len(9, f32([1, 2, 3, 4])),
      tensorProto("packed", [3], 1).len(4, f32([5, 6, 7])),
      unpacked,
      tensorProto("half", [2], 10).len(5, new Msg().varintRaw(0x3c00).varintRaw(0xc000)),
      tensorProto("mask", [3], 9).len(9, [1, 0, 1]),
      tensorProto("shape", [2], 7).len(7, new Msg().varintRaw(-1).varintRaw(64)),
    ]);
    const s = await openOnnx(memorySource(model, "m.onnx"));
    const get = async (n: string) => Array.from(await tensorF32(s, s.tensors.find((t) => t.name === n)!));
    expect(await get("raw")).toEqual([1, 2, 3, 4]);
    expect(await get("packed")).toEqual([5, 6, 7]);
    expect(await get("u")).toEqual([1.5, -2]);
    expect(await get("half")).toEqual([1, -2]);
    expect(await get("mask")).toEqual([1, 0, 1]);
    expect(s.tensors.find((t) => t.name === "mask")?.dtype).toBe("U8");
    const chunks = [];
    for await (const c of s.readRaw(s.tensors.find((t) => t.name === "u")!, 4)) chunks.push(c.length);
    expect(chunks).toEqual([4, 4]); // in-memory payloads are chunked like file data
    expect(s.metadata["onnx.constants"]).toEqual(["shape"]);
    expect(s.metadata).toMatchObject({ "onnx.ir_version": 8, "onnx.producer_name": "test", "onnx.producer_version": "1.0" });
  });

  it("names anonymous MatMul weights from the graph: q, k, v, o after input_layernorm, gate, up, down after the post norm", async () => {
    const w = (n: string, dims: number[]) => tensorProto(n, dims, 1).len(9, new Uint8Array(4 * dims.reduce((a, b) => a * b, 1)));
    const inits = [
      w("emb", [6, 4]), w("m.model.layers.0.input_layernorm.weight", [4]), w("m.model.layers.0.post_attention_layernorm.weight", [4]),
      w("m.model.norm.weight", [4]), w("a", [4, 4]), w("b", [4, 2]), w("c", [4, 2]), w("d", [4, 4]), w("e", [4, 8]), w("f", [4, 8]), w("g", [8, 4]),
    ];
    const nodes = [
      nodeProto("Gather", ["emb", "ids"], ["x0"]),
      nodeProto("Mul", ["m.model.layers.0.input_layernorm.weight", "x0"], ["h"]),
      nodeProto("MatMul", ["h", "a"], ["q"]), nodeProto("MatMul", ["h", "b"], ["k"]), nodeProto("MatMul", ["h", "c"], ["v"]),
      nodeProto("MatMul", ["att", "d"], ["o"]),
      nodeProto("Mul", ["m.model.layers.0.post_attention_layernorm.weight", "o"], ["h2"]),
      nodeProto("MatMul", ["h2", "e"], ["gt"]), nodeProto("MatMul", ["h2", "f"], ["up"]), nodeProto("MatMul", ["act", "g"], ["dn"]),
      nodeProto("Mul", ["m.model.norm.weight", "dn"], ["n"]),
      nodeProto("Transpose", ["emb"], ["embT"]), nodeProto("MatMul", ["n", "embT"], ["logits"]),
    ];
    const s = await openOnnx(memorySource(modelProto(inits, nodes)));
    const by = Object.fromEntries(s.tensors.map((t) => [t.name, t]));
    expect(Object.keys(by)).toEqual([
      "model.embed_tokens.weight", "model.layers.0.input_layernorm.weight",
      "model.layers.0.self_attn.q_proj.weight", "model.layers.0.self_attn.k_proj.weight", "model.layers.0.self_attn.v_proj.weight",
      "model.layers.0.self_attn.o_proj.weight", "model.layers.0.post_attention_layernorm.weight",
      "model.layers.0.mlp.gate_proj.weight", "model.layers.0.mlp.up_proj.weight", "model.layers.0.mlp.down_proj.weight",
      "model.norm.weight", "lm_head.weight",
    ]);
    expect([by["model.layers.0.self_attn.k_proj.weight"]!.fileName, by["model.layers.0.mlp.down_proj.weight"]!.fileName]).toEqual(["b", "g"]);
    expect(by["model.layers.0.mlp.gate_proj.weight"]!.layout).toBe("in_out");
    expect(by["lm_head.weight"]).toMatchObject({ fileName: "emb", layout: "out_in" });
    expect(s.config).toMatchObject({ dim: 4, vocabSize: 6, nLayers: 1, hiddenDim: 8, tiedEmbeddings: true });
  });

  it("reads external data at its offset through resolveExternal, one shard per file", async () => {
    const ext = (n: string, offset: number) => tensorProto(n, [2], 1)
      .len(13, new Msg().str(1, "location").str(2, "w.bin"))
      .len(13, new Msg().str(1, "offset").str(2, String(offset)))
      .len(13, new Msg().str(1, "length").str(2, "8")).varint(14, 1);
    const data = memorySource(f32([0, 0, 9, 8, 7, 6]), "w.bin");
    const opened: string[] = [];
    const s = await openOnnx(memorySource(modelProto([ext("x", 8), ext("y", 16)])), {
      resolveExternal: async (loc) => { opened.push(loc); return data; },
    });
    expect(opened).toEqual(["w.bin"]);
    expect(s.tensors.map((t) => [t.shard, t.byteOffset])).toEqual([[1, 8], [1, 16]]);
    expect(Array.from(await tensorF32(s, s.tensors[1]!))).toEqual([7, 6]);
  });
});

/** Expects openOnnx to reject with a FormatError naming `file` and matching `field`. */
async function rejects(p: Promise<unknown>, field: RegExp, detail?: RegExp, file = "bad.onnx") {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(FormatError);
  expect((err as FormatError).file).toBe(file);
  expect((err as FormatError).field).toMatch(field);
  if (detail) expect((err as FormatError).detail).toMatch(detail);
}
const open = (b: Uint8Array, opts = {}) => openOnnx(memorySource(b, "bad.onnx"), opts);

describe("openOnnx(source) on bad input", () => {
  const good = modelProto([tensorProto("w", [2], 1).len(9, f32([1, 2]))]);

  it("rejects a truncated varint, an over-long varint and a length past the end", async () => {
    await rejects(open(Uint8Array.from([0x08, 0x80])), /ModelProto.ir_version/, /truncated/);
    await rejects(open(Uint8Array.from([0x08, ...new Array(10).fill(0xff), 0x01])), /ModelProto.ir_version/, /longer than 10/);
    await rejects(open(Uint8Array.from([0x3a, 0x7f, 0x00])), /ModelProto.graph/, /past the end/);
    await rejects(open(good.subarray(0, good.length - 3)), /ModelProto/);
  });

  it("rejects every truncation of a small model inside its graph with a FormatError", async () => {
    const opsetBytes = 6; // opset_import follows the graph: cutting it off leaves a valid model
    for (let cut = 0; cut < good.length - opsetBytes; cut++) {
      await rejects(open(good.subarray(0, cut)), /ModelProto|tensor "w"/);
    }
    expect((await open(good.subarray(0, good.length - opsetBytes))).tensors).toHaveLength(1);
  });

  it("rejects an unsupported data type, naming the tensor", async () => {
    await rejects(open(modelProto([tensorProto("names", [1], 8).len(6, [1, 2])])), /tensor "names" data_type/, /STRING/);
  });

  it("rejects raw_data whose size does not match dims, and group wire types", async () => {
    await rejects(open(modelProto([tensorProto("w", [3], 1).len(9, f32([1, 2]))])), /tensor "w" raw_data/, /expected 12/);
    await rejects(open(Uint8Array.from([0x0b])), /ModelProto/, /wire type 3/);
    await rejects(open(Uint8Array.from([0x0d, 1, 2, 3, 4])), /ModelProto.ir_version/, /wire type 5, expected 0/);
  });

  it("rejects external data that is missing, unresolvable, outside the folder or past its end", async () => {
    const ext = (loc: string, offset = "0") => modelProto([tensorProto("w", [2], 1)
      .len(13, new Msg().str(1, "location").str(2, loc)).len(13, new Msg().str(1, "offset").str(2, offset)).varint(14, 1)]);
    await rejects(open(ext("w.bin")), /tensor "w" external_data/, /no way to open/);
    const missing = async (): Promise<ByteSource> => { throw new Error("ENOENT: no such file"); };
    await rejects(open(ext("w.bin"), { resolveExternal: missing }), /tensor "w" external_data/, /w\.bin.*ENOENT/);
    await rejects(open(ext("../etc/passwd"), { resolveExternal: missing }), /external_data location/);
    await rejects(open(ext("/abs.bin"), { resolveExternal: missing }), /external_data location/);
    const small = async () => memorySource(new Uint8Array(10), "w.bin");
    await rejects(open(ext("w.bin", "4"), { resolveExternal: small }), /tensor "w" offset/, /past the file size/, "w.bin");
    await rejects(open(ext("w.bin", "x4"), { resolveExternal: small }), /external_data offset/);
  });

  it("ProtoReader refuses nesting deeper than MAX_PROTO_DEPTH", () => {
    const r = new BufferedReader(memorySource(new Uint8Array(4), "deep.onnx"));
    expect(() => new ProtoReader(r, 4, "M", MAX_PROTO_DEPTH + 1)).toThrow(FormatError);
  });
});
