/**
 * The 110M-parameter Llama-shaped model of the eval110m bench (issue 14), generated, never stored:
 * a TensorSource whose readRaw draws each tensor from its own seed as it is read (so a process
 * that runs it holds only what the engine keeps), with a Hugging Face config.json in its metadata.
 * Shapes (llama2.c's stories110M): dim 768, 12 layers, 12 heads of 64 (no GQA), hidden 2048, vocab
 * 32000, lm_head tied to the embedding: 12 x (4 x 768^2 + 3 x 768 x 2048) + 32000 x 768 = 109.5M
 * weights, 438 MB of f32.
 * Linear weights ~N(0, 0.02^2) (Box-Muller on mulberry32), norms 1.
 * Tokens: BOS then N_TOKENS seeded random ids, read back by idsTokenizer (text = the ids).
 */
import type { TensorInfo, TensorSource } from "../lib/formats/types.ts";
import { memoryTensor } from "../lib/formats/memory-tensor-source.ts";
import { mulberry32 } from "../lib/tensor/prng.ts";
import type { Tokenizer } from "../lib/tokenizers/types.ts";

/** a generated Llama's shapes */
export interface LlamaShape { name: string; dim: number; layers: number; heads: number; kvHeads: number; hidden: number; vocab: number; context: number }
export const M110: LlamaShape = { name: "generated-llama-110m", dim: 768, layers: 12, heads: 12, kvHeads: 12, hidden: 2048, vocab: 32000, context: 2048 };
/** TinyLlama-1.1B's shapes (the scale check of issue 14: bench/scale1b.ts); lm_head tied here, TinyLlama's is not */
export const M1B1: LlamaShape = { name: "generated-llama-1.1b", dim: 2048, layers: 22, heads: 32, kvHeads: 4, hidden: 5632, vocab: 32000, context: 2048 };
/** tokens predicted (BOS + N_TOKENS ids: N_TOKENS targets), in windows of WINDOW_110M */
export const N_TOKENS = 2048;
export const WINDOW_110M = 512;
const SEED = 0x110;
const STD = 0.02;
const CHUNK_ROWS = 256;

/** Hugging Face names and [rows, cols] of every tensor, in file order. */
export function tensorShapes(m: LlamaShape = M110): Array<[string, number[]]> {
  const { dim, layers, hidden, vocab } = m, kv = (dim / m.heads) * m.kvHeads;
  const out: Array<[string, number[]]> = [["model.embed_tokens.weight", [vocab, dim]]];
  for (let l = 0; l < layers; l++) {
    const p = `model.layers.${l}`;
    out.push([`${p}.input_layernorm.weight`, [dim]]);
    for (const x of ["q", "k", "v", "o"]) out.push([`${p}.self_attn.${x}_proj.weight`, [x === "k" || x === "v" ? kv : dim, dim]]);
    out.push([`${p}.post_attention_layernorm.weight`, [dim]]);
    out.push([`${p}.mlp.gate_proj.weight`, [hidden, dim]], [`${p}.mlp.up_proj.weight`, [hidden, dim]], [`${p}.mlp.down_proj.weight`, [dim, hidden]]);
  }
  out.push(["model.norm.weight", [dim]]);
  return out;
}

/** f32 values of tensor `name` (of `numel` values), chunk by chunk of whole rows: ones for norms, N(0, STD^2) otherwise. */
export function* tensorValues(name: string, shape: number[]): Generator<Float32Array> {
  const cols = shape.at(-1)!, rows = shape.length === 1 ? 1 : shape[0]!;
  if (shape.length === 1) { yield new Float32Array(cols).fill(1); return; }
  let h = SEED;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x9e3779b1);
  const rnd = mulberry32(h);
  for (let r0 = 0; r0 < rows; r0 += CHUNK_ROWS) {
    const a = new Float32Array(Math.min(CHUNK_ROWS, rows - r0) * cols); // cols even: pairs never straddle chunks
    for (let i = 0; i < a.length; i += 2) {
      const r = STD * Math.sqrt(-2 * Math.log(1 - rnd())), th = 2 * Math.PI * rnd();
      a[i] = r * Math.cos(th);
      a[i + 1] = r * Math.sin(th);
    }
    yield a;
  }
}

/** The generated model as a TensorSource (safetensors-like: F32, Hugging Face names and config.json). */
export function model110mSource(m: LlamaShape = M110): TensorSource {
  // distinct offsets (the loader reads a tensor once per shard:offset); lm_head is the embedding's bytes (tied)
  let off = 0;
  const tensors: TensorInfo[] = tensorShapes(m).map(([n, s]) => {
    const t = { ...memoryTensor(n, "F32", s, s.reduce((a, b) => a * b, 1) * 4), byteOffset: off };
    off += t.byteLength;
    return t;
  });
  tensors.push({ ...tensors[0]!, name: "lm_head.weight" });
  const { dim, layers, heads, kvHeads, hidden, vocab, context } = m;
  const config = {
    model_type: "llama", architectures: ["LlamaForCausalLM"], hidden_size: dim, intermediate_size: hidden, num_hidden_layers: layers,
    num_attention_heads: heads, num_key_value_heads: kvHeads, vocab_size: vocab, max_position_embeddings: context,
    rms_norm_eps: 1e-5, rope_theta: 10000, tie_word_embeddings: true, hidden_act: "silu",
  };
  return {
    format: "safetensors", name: m.name, tensors, config: { architecture: "llama" }, metadata: { config }, shards: [],
    async *readRaw(t: TensorInfo) {
      for (const a of tensorValues(t.name === "lm_head.weight" ? tensors[0]!.name : t.name, t.shape)) yield new Uint8Array(a.buffer);
    },
    async close() {},
  };
}

/** BOS (1) then N_TOKENS seeded ids in [3, vocab). */
export function tokenIds(): Int32Array {
  const rnd = mulberry32(SEED + 1);
  return Int32Array.from({ length: N_TOKENS + 1 }, (_, i) => (i === 0 ? 1 : 3 + Math.floor(rnd() * (M110.vocab - 3))));
}

/** The evaluation text of the bench: the ids after BOS, space-separated (idsTokenizer reads them back). */
export const tokenText = (): string => Array.from(tokenIds().subarray(1)).join(" ");

/** A tokenizer whose text is decimal token ids (the bench's seeded tokens go through runEvalSession as text). */
export function idsTokenizer(vocabSize = M110.vocab): Tokenizer {
  return {
    name: "ids (bench)", vocabSize, bos: 1, eos: 2,
    encode(text: string, opts?: { bos?: boolean }) {
      const ids = text.split(/\s+/).filter((s) => s !== "").map(Number);
      if (ids.some((v) => !Number.isSafeInteger(v) || v < 0 || v >= vocabSize)) throw new RangeError("idsTokenizer: not a token id");
      return Int32Array.from(opts?.bos === false ? ids : [1, ...ids]);
    },
    decode: (ids) => Array.from(ids).join(" "),
  };
}
