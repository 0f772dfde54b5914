/** Shared by the tokenizer tests: the fixture stories and a literal port of llama2.c run.c `encode`. */
import { fixture, readFixture } from "../helpers/fixtures.ts";

/** Stories of a `<|endoftext|>`-separated corpus (README protocol: split on the separator lines), or null to skip. */
export async function stories(rel: string): Promise<string[] | null> {
  const path = await fixture(rel);
  if (!path) return null;
  const text = new TextDecoder().decode(readFixture(path));
  return text.split(/\n?<\|endoftext\|>\n?/).filter((s) => s.trim().length > 0);
}

/** Greedy ids of stories260K from BOS (README) and the text they decode to. */
export const GREEDY_IDS = [403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426, 338, 401, 396, 267, 337];
export const GREEDY_TEXT = "Once upon a time, there was a little girl named Lily. She loved to play outside in the park.";

/**
 * run.c `encode` transcribed loop for loop (quadratic rescan, strict `>` so the leftmost
 * best pair wins), over pieces given as strings of bytes; the reference the heap-based
 * implementation must equal. `pieces[i]` is the latin-1 string of token i's bytes.
 */
export function runcEncode(pieces: string[], scores: ArrayLike<number>, text: string): number[] {
  const lookup = new Map<string, number>();
  pieces.forEach((p, i) => { if (!lookup.has(p)) lookup.set(p, i); });
  const bytes = new TextEncoder().encode(text);
  const tokens = [1];
  if (bytes.length > 0) tokens.push(lookup.get(" ")!);
  let buf: number[] = [];
  for (let c = 0; c < bytes.length; c++) {
    if ((bytes[c]! & 0xc0) !== 0x80) buf = [];
    buf.push(bytes[c]!);
    if (c + 1 < bytes.length && (bytes[c + 1]! & 0xc0) === 0x80 && buf.length < 4) continue;
    const id = lookup.get(String.fromCharCode(...buf));
    if (id !== undefined) tokens.push(id);
    else for (const b of buf) tokens.push(b + 3);
    buf = [];
  }
  for (;;) {
    let best = -1e10, bestId = -1, bestIdx = -1;
    for (let i = 0; i < tokens.length - 1; i++) {
      const id = lookup.get(pieces[tokens[i]!]! + pieces[tokens[i + 1]!]!);
      if (id !== undefined && scores[id]! > best) { best = scores[id]!; bestId = id; bestIdx = i; }
    }
    if (bestIdx === -1) break;
    tokens.splice(bestIdx, 2, bestId);
  }
  return tokens;
}

/** Latin-1 strings of the pieces of a llama2.c tokenizer file (for runcEncode). */
export function llama2cPieces(bytes: Uint8Array): { pieces: string[]; scores: number[] } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pieces: string[] = [], scores: number[] = [];
  for (let off = 4; off < bytes.length;) {
    scores.push(dv.getFloat32(off, true));
    const n = dv.getInt32(off + 4, true);
    pieces.push(String.fromCharCode(...bytes.subarray(off + 8, off + 8 + n)));
    off += 8 + n;
  }
  return { pieces, scores };
}
