/**
 * The eval110m model (model110m.ts) as a GGUF file for llama.cpp (GGUF v3, ggml docs/gguf.md; the
 * header is built with lib/formats/gguf-writer.ts, tensor data streamed to the file): architecture
 * `llama`, a 32000-token SPM vocabulary (<unk>, <s>, </s>, 256 byte tokens, then "▁t{i}"), q/k rows
 * in GGUF's adjacent-pair RoPE order (convert_hf_to_gguf's permute, undone here as our loader does).
 * `type`: F32, or Q8_0 / Q4_0 for the seven linears of each layer (lib/quant/ggml-quants.ts); the token
 * embedding (= the tied lm_head) and the norms stay F32, as quantlens keeps lm_head in float.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { Bytes, kvF32, kvStr, kvU32, T, type KV } from "../lib/formats/gguf-writer.ts";
import { unpermuteHalf } from "../lib/model/weights.ts";
import { quantizeQ4_0, quantizeQ8_0 } from "../lib/quant/ggml-quants.ts";
import { M110, tensorShapes, tensorValues } from "./model110m.ts";

export type GgufType = "F32" | "Q8_0" | "Q4_0";
const GGML = { F32: 0, Q4_0: 2, Q8_0: 8 } as const;
const FILE_TYPE = { F32: 0, Q4_0: 2, Q8_0: 7 } as const;
const ALIGN = 32;

/** GGUF name of a Hugging Face tensor name. */
function ggufName(hf: string): string {
  if (hf === "model.embed_tokens.weight") return "token_embd.weight";
  if (hf === "model.norm.weight") return "output_norm.weight";
  const m = /^model\.layers\.(\d+)\.(.+)\.weight$/.exec(hf)!;
  const map: Record<string, string> = {
    input_layernorm: "attn_norm", post_attention_layernorm: "ffn_norm", "self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k",
    "self_attn.v_proj": "attn_v", "self_attn.o_proj": "attn_output", "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up", "mlp.down_proj": "ffn_down",
  };
  return `blk.${m[1]}.${map[m[2]!]}.weight`;
}

const arrayKv = (key: string, type: number, n: number, put: (b: Bytes, i: number) => void): KV =>
  ({ key, type: T.ARRAY, write: (b) => { b.u32(type).u64(n); for (let i = 0; i < n; i++) put(b, i); } });

function vocabKvs(): KV[] {
  const n = M110.vocab;
  const token = (i: number) => (i === 0 ? "<unk>" : i === 1 ? "<s>" : i === 2 ? "</s>" : i < 259 ? `<0x${(i - 3).toString(16).toUpperCase().padStart(2, "0")}>` : `▁t${i}`);
  return [
    kvStr("tokenizer.ggml.model", "llama"),
    arrayKv("tokenizer.ggml.tokens", T.STRING, n, (b, i) => b.str(token(i))),
    arrayKv("tokenizer.ggml.scores", T.F32, n, (b, i) => b.f32(-i)),
    // 2 unknown, 3 control, 6 byte, 1 normal
    arrayKv("tokenizer.ggml.token_type", T.I32, n, (b, i) => b.u32(i === 0 ? 2 : i < 3 ? 3 : i < 259 ? 6 : 1)),
    kvU32("tokenizer.ggml.bos_token_id", 1), kvU32("tokenizer.ggml.eos_token_id", 2), kvU32("tokenizer.ggml.unknown_token_id", 0),
  ];
}

/** Writes the model as GGUF `type` to `path`. */
export function writeGguf110m(path: string, type: GgufType): void {
  const { dim, layers, heads, hidden, vocab, context } = M110;
  const kvs: KV[] = [
    kvStr("general.architecture", "llama"), kvStr("general.name", "quantlens-bench-110m"), kvU32("general.file_type", FILE_TYPE[type]),
    kvU32("llama.context_length", context), kvU32("llama.embedding_length", dim), kvU32("llama.block_count", layers),
    kvU32("llama.feed_forward_length", hidden), kvU32("llama.rope.dimension_count", dim / heads), kvU32("llama.attention.head_count", heads),
    kvU32("llama.attention.head_count_kv", heads), kvF32("llama.attention.layer_norm_rms_epsilon", 1e-5), kvF32("llama.rope.freq_base", 10000),
    kvU32("llama.vocab_size", vocab), ...vocabKvs(),
  ];
  const tensors = tensorShapes().map(([name, shape]) => {
    const numel = shape.reduce((a, b) => a * b, 1);
    const t: GgufType = shape.length === 2 && name.startsWith("model.layers.") ? type : "F32";
    const bytes = t === "F32" ? numel * 4 : t === "Q8_0" ? (numel / 32) * 34 : (numel / 32) * 18;
    return { name, shape, t, bytes };
  });
  const b = new Bytes().u32(0x46554747).u32(3).u64(tensors.length).u64(kvs.length);
  for (const kv of kvs) { b.str(kv.key).u32(kv.type); kv.write(b); }
  let off = 0;
  for (const t of tensors) {
    b.str(ggufName(t.name)).u32(t.shape.length);
    [...t.shape].reverse().forEach((d) => b.u64(d)); // ne[0] = columns
    b.u32(GGML[t.t]).u64(off);
    off = Math.ceil((off + t.bytes) / ALIGN) * ALIGN;
  }
  b.pad(ALIGN);
  const fd = openSync(path, "w");
  try {
    writeSync(fd, b.done());
    let written = 0;
    for (const t of tensors) {
      const rows = t.shape.length === 2 ? t.shape[0]! : 1, cols = t.shape.at(-1)!;
      let w: Float32Array = new Float32Array(rows * cols), o = 0;
      for (const a of tensorValues(t.name, t.shape)) { w.set(a, o); o += a.length; }
      if (/(q|k)_proj/.test(t.name)) w = unpermuteHalf(w, heads, dim / heads, cols);
      const data = t.t === "F32" ? new Uint8Array(w.buffer) : t.t === "Q8_0" ? quantizeQ8_0(w) : quantizeQ4_0(w);
      writeSync(fd, data);
      written += data.length;
      const pad = Math.ceil(written / ALIGN) * ALIGN - written;
      if (pad) { writeSync(fd, new Uint8Array(pad)); written += pad; }
    }
  } finally {
    closeSync(fd);
  }
}
