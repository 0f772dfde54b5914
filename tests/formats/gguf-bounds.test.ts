/**
 * Issue 12, class 3 (GGUF): metadata arrays are bounded in total elements over the whole
 * file, nested arrays included, checked from each array's count before it is read.
 */
import { expect, it } from "vitest";
import { FormatError } from "../../lib/formats/errors.ts";
import { MAX_GGUF_METADATA_ELEMENTS, openGguf } from "../../lib/formats/gguf.ts";
import { memorySource } from "../helpers/memory-source.ts";

/** Inner arrays of 1 Mi u8 each: every one is under MAX_ARRAY_LENGTH, their sum is not. */
const INNER = 1 << 20;

/** GGUF v3, no tensors, one kv: an array of `outer` arrays of `INNER` u8 values. */
function nestedGguf(outer: number): Uint8Array {
  const key = new TextEncoder().encode("bomb");
  const head = 4 + 4 + 8 + 8 + 8 + key.length + 4 + 4 + 8;
  const out = new Uint8Array(head + outer * (4 + 8 + INNER));
  const dv = new DataView(out.buffer);
  let o = 0;
  const u32 = (v: number) => { dv.setUint32(o, v, true); o += 4; };
  const u64 = (v: number) => { dv.setBigUint64(o, BigInt(v), true); o += 8; };
  u32(0x46554747); u32(3); u64(0); u64(1);
  u64(key.length); out.set(key, o); o += key.length;
  u32(9); u32(9); u64(outer); // ARRAY of ARRAY, `outer` elements
  for (let i = 0; i < outer; i++) { u32(0); u64(INNER); o += INNER; } // each: u8 × INNER (zeros)
  return out;
}

it("openGguf refuses nested metadata arrays above MAX_GGUF_METADATA_ELEMENTS in total, before reading the one past it", async () => {
  const outer = Math.floor(MAX_GGUF_METADATA_ELEMENTS / INNER) + 1;
  const file = nestedGguf(outer);
  const src = memorySource(file, "nested.gguf");
  const err = await openGguf(src).catch((e) => e);
  expect(err).toBeInstanceOf(FormatError);
  expect(String(err.message)).toMatch(/nested\.gguf: metadata "bomb".*elements/);
});
