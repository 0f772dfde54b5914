/**
 * Tokenizers embedded in GGUF metadata (`tokenizer.ggml.*`, read by lib/formats/gguf.ts into
 * TensorSource.metadata). "llama" is SentencePiece BPE: the run.c algorithm over the GGUF
 * vocabulary ("▁" as the space, `<0xNN>` byte tokens for fallback, control tokens never
 * matched from text). "gpt2" is byte-level BPE over `tokenizer.ggml.merges` (gguf-bpe.ts).
 */
import { FormatError } from "../formats/errors.ts";
import { gpt2FromGguf } from "./gguf-bpe.ts";
import { TOKEN_TYPE, ggufId, ggufNumbers, ggufTokens } from "./gguf-meta.ts";
import { byteOfPiece, spmTokenizer } from "./spm-bpe.ts";
import type { Tokenizer } from "./types.ts";

/** The Tokenizer a GGUF file embeds, from its metadata; FormatError when it has none or an unsupported one. */
export function tokenizerFromGguf(metadata: Record<string, unknown>, fileName: string): Tokenizer {
  const model = metadata["tokenizer.ggml.model"];
  if (model === undefined) throw new FormatError(fileName, `metadata "tokenizer.ggml.model"`, "missing: the file embeds no tokenizer");
  if (model === "llama") return llamaFromGguf(metadata, fileName);
  if (model === "gpt2") return gpt2FromGguf(metadata, fileName);
  throw new FormatError(fileName, `metadata "tokenizer.ggml.model"`, `${JSON.stringify(model)} is not supported (llama, gpt2)`);
}

/** SentencePiece BPE ("llama"): defaults as llama.cpp (unk 0, bos 1, eos 2, dummy-prefix space on, BOS added). */
function llamaFromGguf(meta: Record<string, unknown>, file: string): Tokenizer {
  const tokens = ggufTokens(meta, file);
  const n = tokens.length;
  const scores = ggufNumbers(meta, "tokenizer.ggml.scores", n, file, 0);
  const types = ggufNumbers(meta, "tokenizer.ggml.token_type", n, file, TOKEN_TYPE.NORMAL);
  const enc = new TextEncoder();
  const pieces = tokens.map((t) => enc.encode(t.replaceAll("\u2581", " ")));
  const byteOf = Int16Array.from(pieces, (p, i) => (types[i] === TOKEN_TYPE.BYTE || types[i] === TOKEN_TYPE.NORMAL ? byteOfPiece(p) : -1));
  const byteIds = new Int32Array(256).fill(-1);
  byteOf.forEach((b, id) => {
    if (b >= 0 && types[id] === TOKEN_TYPE.BYTE && byteIds[b] === -1) byteIds[b] = id;
  });
  byteOf.forEach((b, id) => {
    if (b >= 0 && byteIds[b] === -1) byteIds[b] = id; // files without token types
  });
  const control = new Set<number>();
  types.forEach((t, id) => {
    if (t === TOKEN_TYPE.CONTROL || t === TOKEN_TYPE.UNUSED) control.add(id);
  });
  const bos = ggufId(meta, "tokenizer.ggml.bos_token_id", n, file, 1);
  const eos = ggufId(meta, "tokenizer.ggml.eos_token_id", n, file, 2);
  for (const id of [bos, eos]) if (id !== null) control.add(id);
  const space = meta["tokenizer.ggml.add_space_prefix"];
  const tok = spmTokenizer({
    name: `${file} (GGUF llama)`,
    pieces,
    scores: Float32Array.from(scores),
    byteIds,
    byteOf,
    control,
    bos,
    eos,
    unk: ggufId(meta, "tokenizer.ggml.unknown_token_id", n, file, 0),
    addSpacePrefix: space === undefined ? true : space === true,
  });
  if (meta["tokenizer.ggml.add_bos_token"] !== false) return tok;
  // the model was trained without BOS: report none and never add it (its id still prints nothing)
  return { name: tok.name, vocabSize: tok.vocabSize, bos: null, eos, encode: (text) => tok.encode(text, { bos: false }), decode: (ids) => tok.decode(ids) };
}
