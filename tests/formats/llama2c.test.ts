/** openLlama2c on stories260K.bin (against stories260K.gguf), hand-built v0/v1 files and bad headers. */
import { describe, expect, it } from "vitest";
import { FormatError } from "../../lib/formats/errors.ts";
import { openGguf } from "../../lib/formats/gguf.ts";
import { LLAMA2C_MAGIC, openLlama2c } from "../../lib/formats/llama2c.ts";
import { fixture, readFixture } from "../helpers/fixtures.ts";
import { memorySource } from "../helpers/memory-source.ts";
import { openSafetensors } from "../../lib/formats/safetensors.ts";
import { permuteRows, tensorBytes, tensorF32 } from "../helpers/read-tensor.ts";

/** Hand-built header: dim 8, hidden 12, 2 layers, 2 heads, 1 kv head, vocab 10, seq_len 4. */
const H = { dim: 8, hidden: 12, layers: 2, heads: 2, kv: 1, vocab: 10, seq: 4 };
const KV_DIM = (H.dim / H.heads) * H.kv;

/** Float counts of each v0 array in file order (stacked per layer). */
function v0Arrays(shared: boolean): [string, number][] {
  const L = H.layers, d = H.dim, f = H.hidden, half = H.dim / H.heads / 2;
  return [
    ["token_embedding", H.vocab * d], ["rms_att", L * d], ["wq", L * d * d], ["wk", L * KV_DIM * d], ["wv", L * KV_DIM * d],
    ["wo", L * d * d], ["rms_ffn", L * d], ["w1", L * f * d], ["w2", L * d * f], ["w3", L * f * d], ["rms_final", d],
    ["freq_cis_real", H.seq * half], ["freq_cis_imag", H.seq * half], ...(shared ? [] : [["wcls", H.vocab * d] as [string, number]]),
  ];
}

/** A v0 file whose floats count up from 0, so every tensor's first value tells its file offset. */
function buildV0(shared = true, header: number[] = [H.dim, H.hidden, H.layers, H.heads, H.kv, shared ? H.vocab : -H.vocab, H.seq]) {
  const n = v0Arrays(shared).reduce((s, [, c]) => s + c, 0);
  const out = new Uint8Array(28 + 4 * n);
  const dv = new DataView(out.buffer);
  header.forEach((v, i) => dv.setInt32(4 * i, v, true));
  for (let i = 0; i < n; i++) dv.setFloat32(28 + 4 * i, i, true);
  return out;
}

async function rejects(bytes: Uint8Array, field: RegExp, detail?: RegExp) {
  const err = await openLlama2c(memorySource(bytes, "bad.bin")).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(FormatError);
  expect((err as FormatError).file).toBe("bad.bin");
  expect((err as FormatError).field).toMatch(field);
  if (detail) expect((err as FormatError).detail).toMatch(detail);
}

describe("openLlama2c(source) on stories260K.bin", async () => {
  const bin = await fixture("models/stories260K.bin");
  const gguf = await fixture("models/stories260K.gguf");
  it.skipIf(!bin)("lists per-layer HF tensors; first is the embedding, last the tied lm_head", async () => {
    const s = await openLlama2c(memorySource(readFixture(bin!), bin!));
    expect(s.tensors).toHaveLength(48);
    expect(s.tensors[0]).toMatchObject({ name: "model.embed_tokens.weight", fileName: "token_embedding", shape: [512, 64], byteOffset: 28 });
    expect(s.tensors.at(-1)).toMatchObject({ name: "lm_head.weight", fileName: "token_embedding", byteOffset: 28 });
    expect(s.tensors.at(-2)).toMatchObject({ name: "model.norm.weight", shape: [64] });
    expect(s.tensors.find((t) => t.name === "model.layers.3.mlp.down_proj.weight")).toMatchObject({ fileName: "w2[3]", shape: [64, 172] });
    expect(s.tensors.find((t) => t.name === "model.layers.4.self_attn.v_proj.weight")?.shape).toEqual([32, 64]);
    expect(s.config).toMatchObject({ dim: 64, hiddenDim: 172, nLayers: 5, nHeads: 8, nKvHeads: 4, vocabSize: 512, contextLength: 512, tiedEmbeddings: true });
  });

  it.skipIf(!bin || !gguf)("every tensor is bit-identical to the same-named tensor of stories260K.gguf", async () => {
    const l = await openLlama2c(memorySource(readFixture(bin!), bin!));
    const g = await openGguf(memorySource(readFixture(gguf!), gguf!));
    expect(l.tensors.map((t) => t.name).sort()).toEqual(g.tensors.map((t) => t.name).sort());
    for (const t of l.tensors) {
      const u = g.tensors.find((x) => x.name === t.name)!;
      expect(u.shape, t.name).toEqual(t.shape);
      expect(Buffer.from(await tensorBytes(g, u)).equals(Buffer.from(await tensorBytes(l, t))), t.name).toBe(true);
    }
  });
});

describe("openLlama2c(source) against the Hugging Face safetensors conversion", async () => {
  const bin = await fixture("models/stories260K.bin");
  const st = await fixture("models/stories260K-hf/model.safetensors");
  it.skipIf(!bin || !st)("every tensor equals the safetensors tensor bit for bit, q/k after the rotate-half row permutation", async () => {
    const l = await openLlama2c(memorySource(readFixture(bin!), bin!));
    const h = await openSafetensors(memorySource(readFixture(st!), st!));
    let compared = 0;
    for (const t of l.tensors) {
      const u = h.tensors.find((x) => x.name === t.name);
      if (!u) continue;
      expect(u.shape, t.name).toEqual(t.shape);
      let want = await tensorF32(l, t);
      if (/\.(q|k)_proj\./.test(t.name)) want = permuteRows(want, t.shape[0]!, t.shape[1]!, 8); // head_dim 64/8
      expect(Buffer.from((await tensorF32(h, u)).buffer).equals(Buffer.from(want.buffer)), t.name).toBe(true);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(47); // all but possibly the tied lm_head alias
  });
});

describe("openLlama2c(source) on hand-built files", () => {
  it("splits stacked arrays per layer at the right offsets (v0, shared classifier)", async () => {
    const s = await openLlama2c(memorySource(buildV0()));
    const first = async (name: string) => new DataView((await tensorBytes(s, s.tensors.find((t) => t.name === name)!)).buffer).getFloat32(0, true);
    const d = H.dim, emb = H.vocab * d, att = H.layers * d;
    expect(await first("model.layers.0.self_attn.q_proj.weight")).toBe(emb + att);
    expect(await first("model.layers.1.self_attn.q_proj.weight")).toBe(emb + att + d * d);
    expect(await first("model.layers.1.self_attn.k_proj.weight")).toBe(emb + att + 2 * d * d + KV_DIM * d);
    expect(s.tensors.find((t) => t.name === "model.layers.1.mlp.down_proj.weight")?.shape).toEqual([H.dim, H.hidden]);
    expect(s.metadata["llama2c.freq_cis_real_offset"]).toBeGreaterThan(0);
  });

  it("reads an unshared classifier after the freq_cis arrays (negative vocab_size)", async () => {
    const bytes = buildV0(false);
    const s = await openLlama2c(memorySource(bytes));
    const lm = s.tensors.find((t) => t.name === "lm_head.weight")!;
    expect(lm).toMatchObject({ fileName: "wcls", shape: [H.vocab, H.dim], byteOffset: bytes.length - H.vocab * H.dim * 4 });
    expect(s.config.tiedEmbeddings).toBe(false);
  });

  it("reads a version 1 (ak42) export with the same tensors as the v0 file", async () => {
    const v0 = buildV0();
    const src0 = await openLlama2c(memorySource(v0));
    // v1: 256-byte header, then norms, embedding, matrices; no freq_cis
    const order = ["rms_att", "rms_ffn", "rms_final", "token_embedding", "wq", "wk", "wv", "wo", "w1", "w2", "w3"];
    const arrays = new Map<string, Uint8Array>();
    let off = 28;
    for (const [k, c] of v0Arrays(true)) { arrays.set(k, v0.subarray(off, off + 4 * c)); off += 4 * c; }
    const body = order.map((k) => arrays.get(k)!);
    const v1 = new Uint8Array(256 + body.reduce((s, b) => s + b.length, 0));
    const dv = new DataView(v1.buffer);
    dv.setUint32(0, LLAMA2C_MAGIC, true);
    dv.setInt32(4, 1, true);
    [H.dim, H.hidden, H.layers, H.heads, H.kv, H.vocab, H.seq].forEach((v, i) => dv.setInt32(8 + 4 * i, v, true));
    v1[36] = 1;
    off = 256;
    for (const b of body) { v1.set(b, off); off += b.length; }
    const src1 = await openLlama2c(memorySource(v1));
    expect(src1.metadata["llama2c.version"]).toBe(1);
    expect(src1.tensors.map((t) => t.name)).toEqual(src0.tensors.map((t) => t.name));
    for (const t of src1.tensors) {
      const t0 = src0.tensors.find((x) => x.name === t.name)!;
      expect(Buffer.from(await tensorBytes(src1, t)).equals(Buffer.from(await tensorBytes(src0, t0))), t.name).toBe(true);
    }
  });

  it("rejects bad headers: short file, non-positive or huge fields, heads that do not divide", async () => {
    await rejects(new Uint8Array(20), /^header$/);
    const hdr = (i: number, v: number) => { const b = buildV0(); new DataView(b.buffer).setInt32(4 * i, v, true); return b; };
    await rejects(hdr(0, 0), /^dim$/);
    await rejects(hdr(2, -5), /^n_layers$/);
    await rejects(hdr(5, 2 ** 30), /^vocab_size$/);
    await rejects(hdr(3, 3), /^n_heads$/, /does not divide dim/);
    await rejects(hdr(3, 8), /^n_heads$/, /head size 1 is odd/);
    await rejects(hdr(4, 3), /^n_kv_heads$/);
    const magic = buildV0();
    new DataView(magic.buffer).setUint32(0, LLAMA2C_MAGIC, true);
    new DataView(magic.buffer).setInt32(4, 2, true);
    await rejects(magic, /^version$/, /version 2/);
  });

  it("rejects a file one float short or one byte long", async () => {
    const good = buildV0();
    await rejects(good.subarray(0, good.length - 4), /^file size$/);
    const long = new Uint8Array(good.length + 1);
    long.set(good);
    await rejects(long, /^file size$/);
    await rejects(buildV0(true, [H.dim, H.hidden, H.layers, H.heads, H.kv, -H.vocab, H.seq]), /^file size$/, /separate/);
  });
});
