import { describe, expect, it } from "vitest";
import { FormatError } from "../../lib/formats/errors.ts";
import { MAX_RANK } from "../../lib/formats/limits.ts";
import { openSafetensors } from "../../lib/formats/safetensors.ts";
import { blobSource } from "../../lib/formats/source-blob.ts";
import { makeSafetensors, type TensorSpec } from "../helpers/make-safetensors.ts";

/** A malformed header must be rejected well within this budget (no big allocations, no loops). */
const MAX_REJECT_MS = 200;
const FILE = "bad.safetensors";

const base = (): Record<string, TensorSpec> => ({
  a: { dtype: "F32", shape: [2, 3], values: [1, 2, 3, 4, 5, 6] },
  b: { dtype: "F16", shape: [4], values: [1, 2, 3, 4] },
});

/** A file whose JSON header went through `edit`. */
const withHeader = (edit: (h: Record<string, any>) => void) => makeSafetensors(base(), { header: edit });

/** Bytes with the JSON header replaced by `json` (data kept). */
function rawHeader(json: Uint8Array, data = 64): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(8 + json.length + data);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

async function expectRejected(bytes: Uint8Array<ArrayBuffer>, field: RegExp): Promise<void> {
  const t0 = performance.now();
  const p = openSafetensors(blobSource(new Blob([bytes]), FILE));
  await expect(p).rejects.toThrow(FormatError);
  await expect(p).rejects.toThrow(new RegExp(`^${FILE}: .*${field.source}`));
  expect(performance.now() - t0).toBeLessThan(MAX_REJECT_MS);
}

describe("openSafetensors(source) rejects bad input with a FormatError naming file and field", () => {
  it("rejects a file shorter than the 8-byte header length", async () => {
    await expectRejected(new Uint8Array(5), /header length/);
  });

  it("rejects a truncated file (data cut short)", async () => {
    const f = makeSafetensors(base());
    await expectRejected(f.subarray(0, f.length - 3), /tensor "b" data_offsets/);
  });

  it("rejects a header length past the end of the file", async () => {
    const f = makeSafetensors(base());
    new DataView(f.buffer).setBigUint64(0, BigInt(f.length), true);
    await expectRejected(f, /header length/);
  });

  it("rejects a header length of 2^64-1 without allocating it", async () => {
    const f = makeSafetensors(base());
    new DataView(f.buffer).setBigUint64(0, 2n ** 64n - 1n, true);
    await expectRejected(f, /header length/);
  });

  it("rejects invalid JSON", async () => {
    await expectRejected(rawHeader(new TextEncoder().encode('{"a": {"dtype": ')), /header: invalid JSON/);
  });

  it("rejects invalid UTF-8 in the header", async () => {
    await expectRejected(rawHeader(new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])), /header: invalid UTF-8/);
  });

  it("rejects a header that is not an object", async () => {
    await expectRejected(rawHeader(new TextEncoder().encode("[1,2]")), /header: is not a JSON object/);
  });

  it("rejects overlapping data_offsets", async () => {
    await expectRejected(withHeader((h) => { h.b.data_offsets = [16, 24]; }), /tensor "b" data_offsets: overlaps tensor "a"/);
  });

  it("rejects data_offsets past the end of the data", async () => {
    await expectRejected(withHeader((h) => { h.b.data_offsets = [24, 24 + 1e6]; }), /tensor "b" data_offsets/);
  });

  it("rejects negative, fractional and non-numeric data_offsets", async () => {
    await expectRejected(withHeader((h) => { h.a.data_offsets = [-24, 0]; }), /tensor "a" data_offsets/);
    await expectRejected(withHeader((h) => { h.a.data_offsets = [0.5, 24.5]; }), /tensor "a" data_offsets/);
    await expectRejected(withHeader((h) => { h.a.data_offsets = ["0", 24]; }), /tensor "a" data_offsets/);
    await expectRejected(withHeader((h) => { h.a.data_offsets = [0]; }), /tensor "a" data_offsets/);
  });

  it("rejects a size mismatch between shape, dtype and data_offsets", async () => {
    await expectRejected(withHeader((h) => { h.a.shape = [2, 4]; }), /tensor "a" data_offsets: .*needs 32/);
    await expectRejected(withHeader((h) => { h.b.dtype = "F32"; }), /tensor "b" data_offsets/);
  });

  it(`rejects a rank above MAX_RANK (${MAX_RANK})`, async () => {
    await expectRejected(withHeader((h) => { h.a.shape = Array(MAX_RANK + 1).fill(1); }), /tensor "a" shape rank/);
  });

  it("rejects absurd, negative and non-integer dims", async () => {
    await expectRejected(withHeader((h) => { h.a.shape = [2 ** 60, 1]; }), /tensor "a" shape/);
    await expectRejected(withHeader((h) => { h.a.shape = [2 ** 30, 2 ** 30]; }), /tensor "a" shape/);
    await expectRejected(withHeader((h) => { h.a.shape = [-2, -3]; }), /tensor "a" shape/);
    await expectRejected(withHeader((h) => { h.a.shape = [2, "3"]; }), /tensor "a" shape/);
    await expectRejected(withHeader((h) => { h.a.shape = 6; }), /tensor "a" shape/);
  });

  it("rejects an unknown dtype", async () => {
    await expectRejected(withHeader((h) => { h.a.dtype = "F8_E4M3"; }), /tensor "a" dtype: unsupported dtype "F8_E4M3"/);
    await expectRejected(withHeader((h) => { h.a.dtype = 7; }), /tensor "a" dtype/);
  });

  it("rejects a tensor entry or __metadata__ that is not an object", async () => {
    await expectRejected(withHeader((h) => { h.a = [1, 2]; }), /tensor "a": is not a JSON object/);
    await expectRejected(withHeader((h) => { h.__metadata__ = "x"; }), /__metadata__/);
  });
});
