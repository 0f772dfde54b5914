/**
 * SentencePiece-BPE core shared by llama2.c tokenizer files and GGUF "llama" vocabularies:
 * llama2.c run.c `encode` (dummy-prefix space, UTF-8 codepoint lookup with byte fallback,
 * repeated merge of the best-scoring adjacent pair) and `decode`. The merge loop uses a
 * heap keyed by (score desc, position asc), which picks exactly the pair run.c's
 * quadratic rescan picks (highest score, leftmost on ties) in O(n log n). Unlike run.c, BOS is not
 * part of the merge loop and control pieces are not looked up (no vocabulary merges into them).
 */
import { MergeHeap } from "./merge-heap.ts";
import type { Tokenizer } from "./types.ts";

/** run.c's starting best score: a pair whose piece scores at or below it is never merged. */
const RUNC_MIN_SCORE = -1e10;

/** A vocabulary in run.c form: pieces are bytes with SentencePiece's "▁" already turned into " ". */
export interface SpmVocab {
  readonly name: string;
  readonly pieces: Uint8Array[];
  readonly scores: Float32Array;
  /** id of each fallback byte (run.c: byte + 3), -1 where there is none */
  readonly byteIds: Int32Array;
  /** per id: the raw byte a `<0xNN>` piece decodes to, else -1 */
  readonly byteOf: Int16Array;
  /** ids never matched from text and never printed (BOS/EOS/other control tokens) */
  readonly control: Set<number>;
  readonly bos: number | null;
  readonly eos: number | null;
  readonly unk: number | null;
  /** prepend the dummy-prefix space to non-empty text (run.c always; GGUF `tokenizer.ggml.add_space_prefix`) */
  readonly addSpacePrefix?: boolean;
}

/** Latin-1 string of `b` (one char per byte): a Map key that keeps arbitrary bytes apart. */
function key(b: Uint8Array, from = 0, to = b.length): string {
  let s = "";
  for (let i = from; i < to; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/** Parses `<0xNN>` the way run.c's `sscanf(piece, "<0x%02hhX>")` is meant to, else -1. */
export function byteOfPiece(piece: Uint8Array): number {
  if (piece.length !== 6) return -1;
  const m = /^<0x([0-9A-Fa-f]{2})>$/.exec(key(piece));
  return m ? parseInt(m[1]!, 16) : -1;
}

/** Builds the Tokenizer over `v`: run.c encode/decode with a hashed (not linear) piece lookup. */
export function spmTokenizer(v: SpmVocab): Tokenizer {
  const lookup = new Map<string, number>();
  const keys = v.pieces.map((p) => key(p));
  keys.forEach((k, id) => {
    if (!v.control.has(id) && !lookup.has(k)) lookup.set(k, id); // duplicates: lowest id wins
  });
  const space = lookup.get(" ");
  const utf8 = new TextEncoder();

  /** Initial symbols: one per UTF-8 codepoint when the vocab has it, else its bytes (run.c). */
  function initial(bytes: Uint8Array, out: number[]): void {
    if (bytes.length > 0 && v.addSpacePrefix !== false) {
      if (space !== undefined) out.push(space);
      else pushBytes(Uint8Array.of(0x20), 0, 1, out);
    }
    for (let start = 0; start < bytes.length;) {
      let end = start + 1;
      while (end < bytes.length && (bytes[end]! & 0xc0) === 0x80 && end - start < 4) end++;
      const id = lookup.get(key(bytes, start, end));
      if (id !== undefined) out.push(id);
      else pushBytes(bytes, start, end, out);
      start = end;
    }
  }
  function pushBytes(b: Uint8Array, from: number, to: number, out: number[]): void {
    for (let i = from; i < to; i++) {
      const id = v.byteIds[b[i]!]!;
      if (id >= 0) out.push(id);
      else if (v.unk !== null) out.push(v.unk);
    }
  }

  /** Merges in place, exactly as run.c's "best score, leftmost" loop would. */
  function merge(tok: number[]): number[] {
    const n = tok.length;
    const next = Int32Array.from({ length: n }, (_, i) => (i + 1 < n ? i + 1 : -1));
    const prev = Int32Array.from({ length: n }, (_, i) => i - 1);
    const heap = new MergeHeap();
    const tryPair = (l: number, r: number): void => {
      if (l < 0 || r < 0) return;
      const id = lookup.get(keys[tok[l]!]! + keys[tok[r]!]!);
      if (id !== undefined && v.scores[id]! > RUNC_MIN_SCORE) heap.push([v.scores[id]!, l, r, id]);
    };
    for (let i = 0; i + 1 < n; i++) tryPair(i, i + 1);
    const dead = new Uint8Array(n);
    while (heap.size > 0) {
      const [, l, r, id] = heap.pop();
      // stale when either side was merged since: then the pair or its contents changed
      if (dead[l] || dead[r] || next[l] !== r || lookup.get(keys[tok[l]!]! + keys[tok[r]!]!) !== id) continue;
      tok[l] = id;
      dead[r] = 1;
      next[l] = next[r]!;
      if (next[r]! >= 0) prev[next[r]!] = l;
      tryPair(prev[l]!, l);
      tryPair(l, next[l]!);
    }
    return tok.filter((_, i) => !dead[i]);
  }

  return {
    name: v.name,
    vocabSize: v.pieces.length,
    bos: v.bos,
    eos: v.eos,
    encode(text: string, opts?: { bos?: boolean }): Int32Array {
      const sym: number[] = [];
      initial(utf8.encode(text), sym);
      const ids = merge(sym);
      if ((opts?.bos ?? true) && v.bos !== null) ids.unshift(v.bos);
      return Int32Array.from(ids);
    },
    decode(ids: ArrayLike<number>): string {
      return spmDecode(v, ids);
    },
  };
}

/**
 * run.c `decode` over a sequence, bytes assembled then UTF-8 decoded: BOS/control ids print nothing,
 * `<0xNN>` pieces are raw bytes, and a piece's leading space is stripped after BOS and at the start of
 * `ids` (run.c's first printed piece always follows BOS; SentencePiece and HF strip it there too).
 */
function spmDecode(v: SpmVocab, ids: ArrayLike<number>): string {
  const out: number[] = [];
  let atStart = true;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const piece = v.pieces[id];
    if (piece === undefined) throw new RangeError(`${v.name}: token id ${id} is outside [0, ${v.pieces.length})`);
    if (id === v.bos) { atStart = true; continue; }
    if (v.control.has(id)) continue;
    const b = v.byteOf[id]!;
    if (b >= 0) out.push(b);
    else for (let j = atStart && piece[0] === 0x20 ? 1 : 0; j < piece.length; j++) out.push(piece[j]!);
    atStart = false;
  }
  return new TextDecoder().decode(Uint8Array.from(out));
}
