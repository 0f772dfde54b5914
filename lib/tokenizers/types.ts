/**
 * One interface over the tokenizers quantlens reads: llama2.c tokenizer files (tok512.bin),
 * vocabularies embedded in GGUF metadata, and Hugging Face tokenizer.json.
 */
export interface Tokenizer {
  /** where it came from, e.g. "tok512.bin (llama2.c)"; used in messages */
  readonly name: string;
  readonly vocabSize: number;
  /** beginning-of-sequence id, or null when the vocabulary has none */
  readonly bos: number | null;
  readonly eos: number | null;
  /** ids of `text`, with BOS first when `bos` is true (the default) */
  encode(text: string, opts?: { bos?: boolean }): Int32Array;
  /** text of `ids`, decoded the way the reference runtime prints it (run.c: leading space after BOS stripped, <0xNN> as bytes) */
  decode(ids: ArrayLike<number>): string;
}
