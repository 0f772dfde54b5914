import { describe, expect, it } from "vitest";
import { FormatError } from "../../lib/formats/errors.ts";
import { openSafetensors } from "../../lib/formats/safetensors.ts";
import { blobSource } from "../../lib/formats/source-blob.ts";
import { makeSafetensors, tinyLlama } from "../helpers/make-safetensors.ts";
import { mulberry32 } from "../../lib/tensor/prng.ts";

const CASES = 300;
const SEED = 0x5eed;
/** A mutated header must open or fail within this budget: no hang, no huge allocation. */
const MAX_CASE_MS = 500;

/** One mutation of `file`'s first 8 + headerLen bytes: byte flips, truncation or a length edit. */
function mutate(file: Uint8Array<ArrayBuffer>, rand: () => number): Uint8Array<ArrayBuffer> {
  const headerEnd = 8 + Number(new DataView(file.buffer).getBigUint64(0, true));
  const out = file.slice();
  const pick = (n: number) => Math.floor(rand() * n);
  switch (pick(4)) {
    case 0: { // flip 1-4 random bits in the header
      for (let k = 1 + pick(4); k > 0; k--) out[pick(headerEnd)]! ^= 1 << pick(8);
      return out;
    }
    case 1: // replace a header byte by a JSON-significant character
      out[8 + pick(headerEnd - 8)] = '{}[],:"0123456789-.e'.charCodeAt(pick(20));
      return out;
    case 2: // truncate anywhere
      return out.slice(0, pick(file.length));
    default: { // edit the length field
      const dv = new DataView(out.buffer);
      const choices = [0n, 1n, BigInt(headerEnd - 9), BigInt(headerEnd - 7), BigInt(file.length), 2n ** 63n, BigInt(pick(2 ** 31))];
      dv.setBigUint64(0, choices[pick(choices.length)]!, true);
      return out;
    }
  }
}

describe("fuzz: openSafetensors on mutated headers", () => {
  it(`openSafetensors(source) ends in success or FormatError for ${CASES} seeded mutations`, async () => {
    const file = makeSafetensors(tinyLlama("BF16"), { metadata: { format: "pt" } });
    const rand = mulberry32(SEED);
    let ok = 0;
    for (let i = 0; i < CASES; i++) {
      const bytes = mutate(file, rand);
      const t0 = performance.now();
      try {
        const src = await openSafetensors(blobSource(new Blob([bytes]), `case${i}.safetensors`));
        for (const t of src.tensors) for await (const _ of src.readRaw(t, 64)) { /* every byte readable */ }
        ok++;
      } catch (e) {
        if (!(e instanceof FormatError)) throw new Error(`case ${i}: ${String(e)}`);
        expect((e as FormatError).message.startsWith(`case${i}.safetensors: `)).toBe(true);
      }
      expect(performance.now() - t0, `case ${i}`).toBeLessThan(MAX_CASE_MS);
    }
    expect(ok).toBeGreaterThan(0); // some flips land in harmless places (values, metadata)
    expect(ok).toBeLessThan(CASES);
  });
});
