import { describe, expect, it } from "vitest";
import { openSafetensors, parseSafetensorsHeader } from "../../lib/formats/safetensors.ts";
import { blobSource } from "../../lib/formats/source-blob.ts";
import type { TensorSource } from "../../lib/formats/types.ts";
import { encode, makeSafetensors, tinyLlama, toBF16, toF16, wave, type StDType } from "../helpers/make-safetensors.ts";

/** Reference decoders, written from the IEEE 754 / bfloat16 definitions. */
function decodeF16(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}
function decodeBF16(h: number): number {
  return new Float32Array(new Uint32Array([h << 16]).buffer)[0]!;
}
/** Largest relative error of one rounding: 2^-11 (f16, 10+1 bits), 2^-8 (bf16, 7+1 bits). */
const MAX_REL_ERROR: Record<string, number> = { F64: 0, F32: 2 ** -24, F16: 2 ** -11, BF16: 2 ** -8 };

async function bytesOf(src: TensorSource, name: string, chunkBytes?: number): Promise<Uint8Array> {
  const t = src.tensors.find((x) => x.name === name)!;
  const parts: Uint8Array[] = [];
  for await (const c of src.readRaw(t, chunkBytes)) parts.push(c);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

function decode(dtype: StDType, b: Uint8Array): number[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const size = { F64: 8, F32: 4, F16: 2, BF16: 2, I8: 1, U8: 1, I16: 2, I32: 4, I64: 8 }[dtype];
  return Array.from({ length: b.length / size }, (_, i) => {
    switch (dtype) {
      case "F64": return dv.getFloat64(i * 8, true);
      case "F32": return dv.getFloat32(i * 4, true);
      case "F16": return decodeF16(dv.getUint16(i * 2, true));
      case "BF16": return decodeBF16(dv.getUint16(i * 2, true));
      case "I8": return dv.getInt8(i);
      case "U8": return dv.getUint8(i);
      case "I16": return dv.getInt16(i * 2, true);
      case "I32": return dv.getInt32(i * 4, true);
      case "I64": return Number(dv.getBigInt64(i * 8, true));
    }
  });
}

describe("openSafetensors", () => {
  for (const dtype of ["F64", "F32", "F16", "BF16"] as const) {
    it(`openSafetensors(source) round-trips ${dtype} values, planted outlier included`, async () => {
      const values = wave(7 * 5);
      values[17] = 300; // planted outlier, exact in every float dtype
      const file = makeSafetensors({ a: { dtype: "U8", shape: [3], values: [1, 2, 3] }, w: { dtype, shape: [7, 5], values } });
      const src = await openSafetensors(blobSource(new Blob([file]), "round.safetensors"));
      const got = decode(dtype, await bytesOf(src, "w", 13));
      const tol = MAX_REL_ERROR[dtype]!;
      got.forEach((g, i) => expect(Math.abs(g - values[i]!)).toBeLessThanOrEqual(Math.abs(values[i]!) * tol));
      expect(got[17]).toBe(300);
    });
  }

  for (const dtype of ["I8", "U8", "I16", "I32", "I64"] as const) {
    it(`openSafetensors(source) round-trips ${dtype} values exactly`, async () => {
      const values = dtype === "U8" ? [0, 1, 127, 128, 255] : [-128, -1, 0, 1, 127];
      const src = await openSafetensors(blobSource(new Blob([makeSafetensors({ x: { dtype, shape: [5], values } })]), "int.safetensors"));
      expect(src.tensors[0]).toMatchObject({ dtype, shape: [5], numel: 5 });
      expect(decode(dtype, await bytesOf(src, "x"))).toEqual(values);
    });
  }

  it("toF16/toBF16 test encoders round half to even and keep specials", () => {
    expect(decodeF16(toF16(1 + 2 ** -11))).toBe(1); // tie → even
    expect(decodeF16(toF16(65520))).toBe(Infinity); // rounds past the largest half
    expect(decodeF16(toF16(2 ** -24))).toBe(2 ** -24); // smallest subnormal
    expect(decodeBF16(toBF16(1 + 2 ** -8))).toBe(1);
    expect(Number.isNaN(decodeBF16(toBF16(NaN)))).toBe(true);
  });

  it("openSafetensors(source) lists tensors in file order with offsets after the header and keeps __metadata__", async () => {
    const file = makeSafetensors(tinyLlama(), { metadata: { format: "pt" } });
    const h = await parseSafetensorsHeader(blobSource(new Blob([file]), "tiny.safetensors"));
    expect(h.metadata).toEqual({ format: "pt" });
    expect(h.tensors[0]).toMatchObject({ name: "model.embed_tokens.weight", fileName: "model.embed_tokens.weight", shape: [16, 8], numel: 128, shard: 0, byteLength: 512 });
    const headerLen = Number(new DataView(file.buffer).getBigUint64(0, true));
    expect(h.tensors[0]!.byteOffset).toBe(8 + headerLen);
    expect(h.tensors.at(-1)!.byteOffset + h.tensors.at(-1)!.byteLength).toBe(file.length);
  });

  it("openSafetensors(source, {config}) adds lm_head.weight aliasing the embedding when tied", async () => {
    const src = await openSafetensors(blobSource(new Blob([makeSafetensors(tinyLlama())]), "tied.safetensors"),
      { config: { architecture: "LlamaForCausalLM", tiedEmbeddings: true } });
    const embed = src.tensors.find((t) => t.name === "model.embed_tokens.weight")!;
    const head = src.tensors.find((t) => t.name === "lm_head.weight")!;
    expect(head).toMatchObject({ byteOffset: embed.byteOffset, byteLength: embed.byteLength, shape: [16, 8] });
    expect(await bytesOf(src, "lm_head.weight")).toEqual(await bytesOf(src, "model.embed_tokens.weight"));
  });

  it("openSafetensors(source, {config}) keeps a stored lm_head.weight untouched when untied", async () => {
    const src = await openSafetensors(blobSource(new Blob([makeSafetensors(tinyLlama("F32", false))]), "untied.safetensors"),
      { config: { architecture: "LlamaForCausalLM", tiedEmbeddings: false } });
    expect(src.tensors.filter((t) => t.name === "lm_head.weight")).toHaveLength(1);
    expect(await bytesOf(src, "lm_head.weight")).toEqual(encode("F32", wave(128, 20)));
  });

  it("openSafetensors(sources) numbers shards and rejects a tensor present in two shards", async () => {
    const a = blobSource(new Blob([makeSafetensors({ x: { dtype: "F32", shape: [2], values: [1, 2] } })]), "a.safetensors");
    const b = blobSource(new Blob([makeSafetensors({ y: { dtype: "F16", shape: [2], values: [3, 4] } })]), "b.safetensors");
    const src = await openSafetensors([a, b]);
    expect(src.tensors.map((t) => [t.name, t.shard])).toEqual([["x", 0], ["y", 1]]);
    expect(decode("F16", await bytesOf(src, "y"))).toEqual([3, 4]);
    const dup = blobSource(new Blob([makeSafetensors({ x: { dtype: "F32", shape: [1], values: [1] } })]), "dup.safetensors");
    await expect(openSafetensors([a, dup])).rejects.toThrow(/dup\.safetensors: tensor "x": also in a\.safetensors/);
  });

  it("openSafetensors(source) infers dims, layers and vocab from shapes when there is no config", async () => {
    const src = await openSafetensors(blobSource(new Blob([makeSafetensors(tinyLlama())]), "noconf.safetensors"));
    expect(src.config).toMatchObject({ architecture: "llama", dim: 8, vocabSize: 16, hiddenDim: 12, nLayers: 2 });
  });
});
