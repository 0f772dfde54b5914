/**
 * openGguf on llama.cpp-written fixtures (names, shapes, dtypes, dequantized statistics
 * against gguf-py reference statistics) and on hand-built bad files.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { openGguf } from "../../lib/formats/gguf.ts";
import { FormatError } from "../../lib/formats/errors.ts";
import { MAX_ARRAY_LENGTH, MAX_DIM, MAX_KV_COUNT, MAX_RANK, MAX_STRING_BYTES, MAX_TENSOR_COUNT } from "../../lib/formats/limits.ts";
import { decodeToF32 } from "../../lib/tensor/decode.ts";
import { fixture, readFixture } from "../helpers/fixtures.ts";
import { memorySource } from "../helpers/memory-source.ts";
import { tensorBytes } from "../helpers/read-tensor.ts";
import { Bytes, buildGguf, f32Bytes, kvF32, kvStr, kvStrArray, kvU32, T, type KV } from "../helpers/gguf-writer.ts";

/** gguf-py and we both produce bit-identical f32 values; only float64 summation order differs. */
const MAX_STATS_REL_ERROR = 1e-6;

/** Plain float64 reference loop: DESIGN.md definitions (population std, Pearson kurtosis). */
function refStats(x: Float32Array) {
  let sum = 0, min = Infinity, max = -Infinity, absmax = 0;
  for (const v of x) { sum += v; min = Math.min(min, v); max = Math.max(max, v); absmax = Math.max(absmax, Math.abs(v)); }
  const mean = sum / x.length;
  let m2 = 0, m4 = 0;
  for (const v of x) { const d = v - mean; m2 += d * d; m4 += d * d * d * d; }
  const std = Math.sqrt(m2 / x.length);
  return { mean, std, kurtosis: std === 0 ? null : m4 / x.length / std ** 4, absmax, min, max };
}

// ---------------------------------------------------------------- fixtures

/** README table of models/gguf-quants: HF name → [shape, matrix?]. */
function synthTable(): Record<string, number[]> {
  const t: Record<string, number[]> = {
    "model.embed_tokens.weight": [1024, 256], "model.norm.weight": [256], "lm_head.weight": [1024, 256],
  };
  for (const n of [0, 1]) {
    const p = `model.layers.${n}.`;
    Object.assign(t, {
      [`${p}input_layernorm.weight`]: [256], [`${p}post_attention_layernorm.weight`]: [256],
      [`${p}self_attn.q_proj.weight`]: [256, 256], [`${p}self_attn.k_proj.weight`]: [128, 256],
      [`${p}self_attn.v_proj.weight`]: [128, 256], [`${p}self_attn.o_proj.weight`]: [256, 256],
      [`${p}mlp.gate_proj.weight`]: [768, 256], [`${p}mlp.up_proj.weight`]: [768, 256], [`${p}mlp.down_proj.weight`]: [256, 768],
    });
  }
  return t;
}

const SYNTH: [string, string][] = [["f32", "F32"], ["Q8_0", "Q8_0"], ["Q4_0", "Q4_0"], ["Q4_K_M", "Q4_K"], ["Q6_K", "Q6_K"]];

describe("openGguf(source) on llama.cpp-quantized synth-llama files", async () => {
  for (const [file, matrixType] of SYNTH) {
    const path = await fixture(`models/gguf-quants/synth-llama-${file}.gguf`);
    const statsPath = await fixture(`models/gguf-quants/synth-llama-${file}.stats.json`);
    it.skipIf(!path || !statsPath)(`synth-llama-${file}.gguf: names, shapes, dtypes and dequantized stats match the reference`, async () => {
      const ref = JSON.parse(readFileSync(statsPath!, "utf8"));
      const s = await openGguf(memorySource(readFixture(path!), path!));
      const table = synthTable();
      expect(s.tensors.map((t) => t.name).sort()).toEqual(Object.keys(table).sort());
      for (const t of s.tensors) {
        expect(t.shape, t.name).toEqual(table[t.name]);
        expect(t.dtype, t.name).toBe(t.shape.length === 1 ? "F32" : matrixType);
        expect(t.dtype).toBe(ref.tensors[t.name].ggml_type);
        const x = decodeToF32(t.dtype, await tensorBytes(s, t));
        expect(x.length).toBe(ref.tensors[t.name].numel);
        const got = refStats(x);
        for (const k of ["mean", "std", "kurtosis", "absmax", "min", "max"] as const) {
          const want = ref.tensors[t.name][k] as number;
          expect(Math.abs(got[k]! - want), `${t.name} ${k}`).toBeLessThanOrEqual(MAX_STATS_REL_ERROR * Math.abs(want));
        }
      }
      expect(s.config).toMatchObject({
        architecture: "llama", dim: 256, hiddenDim: 768, nLayers: 2, nHeads: 4, nKvHeads: 2,
        contextLength: 256, vocabSize: 1024, ropeTheta: 10000, tiedEmbeddings: false,
      });
      expect(s.config.normEps).toBeCloseTo(1e-5, 10);
      expect(s.metadata["general.file_type"]).toBe(ref.file_type);
      expect(s.metadata["gguf.alignment"]).toBe(32);
      expect((s.metadata["tokenizer.ggml.tokens"] as string[])[1]).toBe("<s>");
    });
  }
});

describe("openGguf(source) on stories260K.gguf", async () => {
  const path = await fixture("models/stories260K.gguf");
  it.skipIf(!path)("lists 48 F32 tensors with HF names; first and last tensor as in the file", async () => {
    const s = await openGguf(memorySource(readFixture(path!), path!));
    expect(s.tensors).toHaveLength(48);
    expect(s.tensors.every((t) => t.dtype === "F32")).toBe(true);
    expect(s.tensors[0]).toMatchObject({ name: "model.embed_tokens.weight", fileName: "token_embd.weight", shape: [512, 64] });
    expect(s.tensors.at(-1)).toMatchObject({ name: "model.layers.4.post_attention_layernorm.weight", fileName: "blk.4.ffn_norm.weight", shape: [64] });
    expect(s.tensors.find((t) => t.name === "model.layers.0.self_attn.k_proj.weight")?.shape).toEqual([32, 64]);
    expect(s.config).toMatchObject({ dim: 64, hiddenDim: 172, nLayers: 5, nHeads: 8, nKvHeads: 4, vocabSize: 512, contextLength: 2048 });
    const first = decodeToF32("F32", await tensorBytes(s, s.tensors[0]!));
    const last = decodeToF32("F32", await tensorBytes(s, s.tensors.at(-1)!));
    expect(first.every(Number.isFinite) && last.every(Number.isFinite)).toBe(true);
  });
});

// ---------------------------------------------------------------- hand-built files

const TOKENS = ["<unk>", "<s>", "</s>", "a"];
const KVS: KV[] = [
  kvStr("general.architecture", "llama"), kvU32("llama.embedding_length", 8), kvU32("llama.block_count", 1),
  kvF32("llama.rope.freq_base", 500000), kvStrArray("tokenizer.ggml.tokens", TOKENS),
  { key: "big", type: T.U64, write: (b) => b.u64(2n ** 60n + 1n) },
  { key: "flag", type: T.BOOL, write: (b) => b.u8(1) },
  { key: "nested", type: T.ARRAY, write: (b) => { b.u32(T.ARRAY).u64(2); b.u32(T.I32).u64(1).u32(0xffffffff); b.u32(T.I32).u64(0); } },
];
const embed = f32Bytes(Array.from({ length: 32 }, (_, i) => i));
const q = f32Bytes(Array.from({ length: 64 }, (_, i) => -i));
const tiny = (over: Partial<Parameters<typeof buildGguf>[0]> = {}) => buildGguf({
  kvs: KVS,
  tensors: [{ name: "token_embd.weight", ne: [8, 4], type: 0, data: embed }, { name: "blk.0.attn_q.weight", ne: [8, 8], type: 0, data: q }],
  ...over,
});

/** Expects openGguf to reject `bytes` with a FormatError naming the file and matching `field`. */
async function rejects(bytes: Uint8Array, field: RegExp, detail?: RegExp): Promise<FormatError> {
  const err = await openGguf(memorySource(bytes, "bad.gguf")).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(FormatError);
  const fe = err as FormatError;
  expect(fe.file).toBe("bad.gguf");
  expect(fe.field).toMatch(field);
  if (detail) expect(fe.detail).toMatch(detail);
  return fe;
}

/** `bytes` with a u64 written at `offset`. */
function withU64(bytes: Uint8Array, offset: number, v: number | bigint): Uint8Array {
  const out = bytes.slice();
  new DataView(out.buffer).setBigUint64(offset, BigInt(v), true);
  return out;
}

describe("openGguf(source) on hand-built files", () => {
  it("reads metadata of every kind, reverses shapes and adds a tied lm_head", async () => {
    const s = await openGguf(memorySource(tiny(), "tiny.gguf"));
    expect(s.tensors.map((t) => [t.name, t.shape])).toEqual([
      ["model.embed_tokens.weight", [4, 8]], ["model.layers.0.self_attn.q_proj.weight", [8, 8]], ["lm_head.weight", [4, 8]],
    ]);
    const [e, , lm] = s.tensors;
    expect([lm!.byteOffset, lm!.byteLength, lm!.fileName]).toEqual([e!.byteOffset, e!.byteLength, "token_embd.weight"]);
    expect(e!.byteOffset % 32).toBe(0);
    expect(Array.from(decodeToF32("F32", await tensorBytes(s, e!, 32)))).toEqual(Array.from({ length: 32 }, (_, i) => i));
    expect(s.config).toMatchObject({ architecture: "llama", dim: 8, nLayers: 1, vocabSize: 4, ropeTheta: 500000, tiedEmbeddings: true });
    expect(s.metadata).toMatchObject({ big: "1152921504606846977", flag: true, nested: [[-1], []], "gguf.version": 3 });
  });

  it("reads fixed-width arrays of every type in bulk, across read pieces", async () => {
    const arr = (key: string, type: number, n: number, put: (b: Bytes, i: number) => void): KV =>
      ({ key, type: T.ARRAY, write: (b) => { b.u32(type).u64(n); for (let i = 0; i < n; i++) put(b, i); } });
    const kvs = [
      arr("u8", T.U8, (1 << 20) + 3, (b, i) => b.u8(i)), arr("i8", T.I8, 2, (b, i) => b.u8(i ? 0xff : 1)),
      arr("u16", T.U16, 2, (b, i) => b.u8(i).u8(1)), arr("i16", T.I16, 1, (b) => b.u8(0xfe).u8(0xff)),
      arr("i32", T.I32, 1, (b) => b.u32(0xfffffffd)), arr("f32", T.F32, 2, (b, i) => b.f32(i - 0.5)),
      arr("u64", T.U64, 2, (b, i) => b.u64(i ? 2n ** 64n - 1n : 7n)), arr("i64", T.I64, 1, (b) => b.u64(-5n)),
      arr("f64", T.F64, 1, (b) => b.raw(new Uint8Array(new Float64Array([0.1]).buffer))), arr("bool", T.BOOL, 2, (b, i) => b.u8(i)),
    ];
    const m = (await openGguf(memorySource(tiny({ kvs })))).metadata;
    const u8 = m["u8"] as number[];
    expect([u8.length, u8[255], u8[256], u8.at(-1)]).toEqual([(1 << 20) + 3, 255, 0, ((1 << 20) + 2) & 255]);
    expect([m["i8"], m["u16"], m["i16"], m["i32"], m["f32"]]).toEqual([[1, -1], [256, 257], [-2], [-3], [-0.5, 0.5]]);
    expect([m["u64"], m["i64"], m["f64"], m["bool"]]).toEqual([[7, "18446744073709551615"], [-5], [0.1], [false, true]]);
    await rejects(tiny({ kvs: [arr("b", T.BOOL, 1, (b) => b.u8(7))] }), /metadata "b"/, /bool value 7 at index 0/);
  });

  it("honours general.alignment", async () => {
    const s = await openGguf(memorySource(tiny({ alignment: 64, kvs: [...KVS, kvU32("general.alignment", 64)] })));
    expect(s.tensors.every((t) => t.byteOffset % 64 === 0)).toBe(true);
    expect(s.metadata["gguf.alignment"]).toBe(64);
  });

  it("reads GGUF v2", async () => {
    expect((await openGguf(memorySource(tiny({ version: 2 })))).tensors).toHaveLength(3);
  });

  it("rejects a wrong magic, v1, a big-endian file and an unknown version", async () => {
    const good = tiny();
    const magic = good.slice(); magic[0] = 0x47 + 1;
    await rejects(magic, /^magic$/);
    await rejects(tiny({ version: 1 }), /^version$/, /v1/);
    const be = good.slice(); be.set([0, 0, 0, 3], 4);
    await rejects(be, /^version$/, /big-endian/);
    await rejects(tiny({ version: 4 }), /^version$/, /unsupported/);
  });

  it("rejects the file truncated at every byte of its header", async () => {
    const good = tiny();
    const dataStart = (await openGguf(memorySource(good))).tensors[0]!.byteOffset;
    for (let cut = 0; cut < dataStart + 1; cut++) {
      const err = await openGguf(memorySource(good.subarray(0, cut), "cut.gguf")).then(() => null, (e: unknown) => e);
      expect(err, `cut at ${cut}`).toBeInstanceOf(FormatError);
      expect((err as FormatError).file).toBe("cut.gguf");
    }
  });

  it("rejects tensor_count above MAX_TENSOR_COUNT and kv_count above MAX_KV_COUNT before looping", async () => {
    const src = memorySource(withU64(tiny(), 8, MAX_TENSOR_COUNT + 1), "bad.gguf");
    await expect(openGguf(src)).rejects.toThrow(/tensor_count/);
    expect(src.stats.reads).toBe(1);
    await rejects(withU64(tiny(), 16, MAX_KV_COUNT + 1), /^kv_count$/);
    await rejects(withU64(tiny(), 8, 2n ** 64n - 1n), /^tensor_count$/);
  });

  it("rejects an array length above MAX_ARRAY_LENGTH and a string above MAX_STRING_BYTES", async () => {
    const arr: KV = { key: "a", type: T.ARRAY, write: (b) => b.u32(T.U8).u64(MAX_ARRAY_LENGTH + 1) };
    await rejects(tiny({ kvs: [arr] }), /metadata "a" array length/);
    const str: KV = { key: "s", type: T.STRING, write: (b) => b.u64(MAX_STRING_BYTES + 1) };
    await rejects(tiny({ kvs: [str] }), /metadata "s" length/);
    const longKey = new Bytes().u32(0x46554747).u32(3).u64(0).u64(1).u64(2n ** 63n).done();
    await rejects(longKey, /kv 0 key length/);
  });

  it("rejects unknown value types, bad bools, deep nesting and a bad general.alignment", async () => {
    await rejects(tiny({ kvs: [{ key: "x", type: 13, write: () => undefined }] }), /metadata "x"/, /value type 13/);
    await rejects(tiny({ kvs: [{ key: "b", type: T.BOOL, write: (b) => b.u8(2) }] }), /metadata "b"/);
    const deep: KV = { key: "d", type: T.ARRAY, write: (b) => { for (let i = 0; i < 10; i++) b.u32(T.ARRAY).u64(1); } };
    await rejects(tiny({ kvs: [deep] }), /metadata "d"/, /nested/);
    await rejects(tiny({ kvs: [kvU32("general.alignment", 3)] }), /general.alignment/);
  });

  it("rejects n_dims above MAX_RANK, a dim above MAX_DIM and an element count above MAX_NUMEL", async () => {
    const t = (ne: number[]) => tiny({ tensors: [{ name: "w", ne, type: 0, data: new Uint8Array(0) }] });
    await rejects(t(new Array(MAX_RANK + 1).fill(1)), /tensor "w" n_dims/);
    await rejects(t([MAX_DIM + 1]), /tensor "w" ne\[0\]/);
    await rejects(t([2 ** 30, 2 ** 30]), /tensor "w" element count/);
    expect((await openGguf(memorySource(t([0])))).tensors[0]!.numel).toBe(0); // an empty tensor is valid
  });

  it("rejects unknown and unsupported ggml types, naming the tensor", async () => {
    const t = (type: number) => tiny({ tensors: [{ name: "blk.0.attn_k.weight", ne: [256], type, data: new Uint8Array(1024) }] });
    await rejects(t(99), /tensor "blk.0.attn_k.weight" type/, /unknown ggml type 99/);
    await rejects(t(16), /tensor "blk.0.attn_k.weight" type/, /IQ2_XXS/);
  });

  it("rejects a row length that is not a multiple of the block size", async () => {
    await rejects(tiny({ tensors: [{ name: "w", ne: [16, 2], type: 2, data: new Uint8Array(18) }] }), /tensor "w" ne\[0\]/, /block size 32/);
  });

  it("rejects data past the end of the file, overlapping tensors and misaligned offsets", async () => {
    const one = (offset: number) => ({ name: "w", ne: [8], type: 0, offset, data: new Uint8Array(32) });
    const short = tiny({ tensors: [one(0)] });
    await rejects(short.subarray(0, short.length - 4), /tensor "w" offset/, /past the file size/);
    const far = tiny({ tensors: [one(1 << 20)] });
    await rejects(far.subarray(0, far.length - (1 << 20)), /tensor "w" offset/, /past the file size/);
    const overlap = tiny({ tensors: [one(0), { ...one(0), name: "v", offset: 0 }] });
    await rejects(overlap, /tensor "(v|w)" offset/, /overlaps/);
    const mis = tiny({ tensors: [one(0), { ...one(0), name: "v", offset: 36 }] });
    await rejects(mis, /tensor "v" offset/, /alignment 32/);
  });
});
