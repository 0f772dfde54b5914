/**
 * Issue 12, class 6: a name given to two tensors (a duplicate JSON key in safetensors, which
 * JSON.parse silently drops; a repeated GGUF tensor or metadata key; two file names that map
 * to one Hugging Face name) is a FormatError naming both, not a tensor listed twice.
 */
import { describe, expect, it } from "vitest";
import { FormatError } from "../../lib/formats/errors.ts";
import { openGguf } from "../../lib/formats/gguf.ts";
import { openOnnx } from "../../lib/formats/onnx.ts";
import { openSafetensors } from "../../lib/formats/safetensors.ts";
import { buildGguf, kvU32 } from "../helpers/gguf-writer.ts";
import { memorySource } from "../helpers/memory-source.ts";
import { Msg, modelProto, tensorProto } from "../helpers/proto-writer.ts";

const GGML_F32 = 0;
const f32 = (n: number) => new Uint8Array(new Float32Array(n).fill(1).buffer);

/** A safetensors file with the raw JSON header `json` over `dataBytes` bytes of data. */
function rawSafetensors(json: string, dataBytes: number): Uint8Array {
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  return out;
}

describe("duplicate tensor names", () => {
  it("openSafetensors refuses a header with the same tensor key twice", async () => {
    const json = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},' +
      '"a":{"dtype":"F32","shape":[1],"data_offsets":[12,16]}}';
    const err = await openSafetensors(memorySource(rawSafetensors(json, 16), "dup.safetensors")).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(String(err.message)).toMatch(/dup\.safetensors: tensor "a": .*twice/);
  });

  it("openSafetensors still reads keys that only look alike (escapes, nested objects)", async () => {
    const json = '{"__metadata__":{"a":"x","b":"y"},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"\\u0061b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}';
    const src = await openSafetensors(memorySource(rawSafetensors(json, 8), "ok.safetensors"));
    expect(src.tensors.map((t) => t.name).sort()).toEqual(["a", "ab"]);
  });

  it("openGguf refuses two tensors with one name, and a repeated metadata key", async () => {
    const t = { name: "blk.0.attn_q.weight", ne: [4], type: GGML_F32, data: f32(4) };
    const err = await openGguf(memorySource(buildGguf({ tensors: [t, { ...t }] }), "dup.gguf")).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(String(err.message)).toMatch(/dup\.gguf: tensor "model\.layers\.0\.self_attn\.q_proj\.weight": .*"blk\.0\.attn_q\.weight" and "blk\.0\.attn_q\.weight"/);
    const kv = await openGguf(memorySource(buildGguf({ kvs: [kvU32("x", 1), kvU32("x", 2)], tensors: [t] }), "kv.gguf")).catch((e) => e);
    expect(kv).toBeInstanceOf(FormatError);
    expect(String(kv.message)).toMatch(/kv\.gguf: metadata "x": .*twice/);
  });

  it("openGguf refuses two file names that map to one Hugging Face name", async () => {
    const a = { name: "output.weight", ne: [4], type: GGML_F32, data: f32(4) };
    const b = { name: "lm_head.weight", ne: [4], type: GGML_F32, data: f32(4) };
    const err = await openGguf(memorySource(buildGguf({ tensors: [a, b] }), "two.gguf")).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(String(err.message)).toMatch(/two\.gguf: tensor "lm_head\.weight": .*"output\.weight" and "lm_head\.weight"/);
  });

  it("openOnnx refuses two initializers whose names map to one Hugging Face name", async () => {
    const init = (name: string) => tensorProto(name, [2, 2], 1).len(9, f32(4));
    const file = modelProto([init("a.model.norm.weight"), init("b.model.norm.weight")], []);
    const err = await openOnnx(memorySource(file, "two.onnx")).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(String(err.message)).toMatch(/two\.onnx: tensor "model\.norm\.weight": .*"a\.model\.norm\.weight" and "b\.model\.norm\.weight"/);
    void Msg;
  });
});
