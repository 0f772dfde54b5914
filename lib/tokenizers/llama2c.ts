/**
 * llama2.c tokenizer files (`tokenizer.bin`, `tok512.bin`, written by llama2.c tokenizer.py):
 * uint32 max_token_length, then per id float32 score, int32 byte length, bytes. The file
 * does not store the vocabulary size: pass it from the model header (run.c does), or
 * leave it out and the records are read up to the end of the file. With a size given, bytes
 * after that many records are ignored (as run.c does); too few records are a FormatError.
 * Ids 0/1/2 are <unk>/<s>/</s> and byte b falls back to id b + 3, as run.c assumes.
 */
import { FormatError, checkCount } from "../formats/errors.ts";
import { byteOfPiece, spmTokenizer } from "./spm-bpe.ts";
import type { Tokenizer } from "./types.ts";

/** Most tokens in one vocabulary: real ones reach ~256k; bounds memory on bad input. */
export const MAX_VOCAB_SIZE = 4 * 1024 * 1024;
/** Bytes in one token piece: real pieces are a few dozen bytes (tok512: 7). */
export const MAX_TOKEN_BYTES = 64 * 1024;
/** llama2.c's fixed ids: <unk> 0, <s> 1 (BOS), </s> 2 (EOS), byte fallback 3 + byte. */
const UNK = 0, BOS = 1, EOS = 2, BYTE_BASE = 3;

/** Parses a llama2.c tokenizer file; `vocabSize` (the model header's) reads exactly that many ids. */
export function parseLlama2cTokenizer(bytes: Uint8Array, fileName: string, vocabSize?: number): Tokenizer {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (vocabSize !== undefined) checkCount(fileName, "vocab_size", vocabSize, MAX_VOCAB_SIZE, "from the model header");
  if (bytes.length < 4) throw new FormatError(fileName, "max_token_length", `file is ${bytes.length} bytes, shorter than its 4-byte header`);
  const maxLen = checkCount(fileName, "max_token_length", dv.getUint32(0, true), MAX_TOKEN_BYTES);

  const pieces: Uint8Array[] = [];
  const scores: number[] = [];
  let off = 4;
  while (vocabSize === undefined ? off < bytes.length : pieces.length < vocabSize) {
    const id = pieces.length;
    if (id >= MAX_VOCAB_SIZE) throw new FormatError(fileName, "vocab_size", `more than ${MAX_VOCAB_SIZE} tokens`);
    if (off + 8 > bytes.length) {
      const want = vocabSize === undefined ? "" : ` (vocab_size ${vocabSize})`;
      throw new FormatError(fileName, `token ${id} score/length`, `truncated at byte ${off} of ${bytes.length}${want}`);
    }
    const score = dv.getFloat32(off, true);
    if (Number.isNaN(score)) throw new FormatError(fileName, `token ${id} score`, "is NaN");
    const len = dv.getInt32(off + 4, true);
    if (len < 0 || len > maxLen) {
      throw new FormatError(fileName, `token ${id} length`, `${len} is outside [0, ${maxLen}] (max_token_length)`);
    }
    off += 8;
    if (off + len > bytes.length) {
      throw new FormatError(fileName, `token ${id} bytes`, `${len} bytes at ${off} run past the file end (${bytes.length})`);
    }
    pieces.push(bytes.slice(off, off + len));
    scores.push(score);
    off += len;
  }
  if (pieces.length <= EOS) throw new FormatError(fileName, "vocab_size", `${pieces.length} tokens; <unk>, <s>, </s> need at least 3`);

  const byteIds = new Int32Array(256).map((_, b) => (BYTE_BASE + b < pieces.length ? BYTE_BASE + b : -1));
  return spmTokenizer({
    name: `${fileName} (llama2.c)`,
    pieces,
    scores: Float32Array.from(scores),
    byteIds,
    byteOf: Int16Array.from(pieces, byteOfPiece),
    control: new Set([BOS, EOS]),
    bos: BOS,
    eos: EOS,
    unk: UNK,
  });
}
