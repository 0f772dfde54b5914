/**
 * Issue 12, class 3 (ONNX): counts of opset_import entries, nodes and initializers are capped,
 * and what the reader records is charged against a budget proportional to the file size, so
 * a file of empty messages (2 bytes each, ~200 bytes of JS objects each) is refused early.
 */
import { describe, expect, it } from "vitest";
import { FormatError } from "../../lib/formats/errors.ts";
import { MAX_ONNX_OPSETS, openOnnx } from "../../lib/formats/onnx.ts";
import { memorySource } from "../helpers/memory-source.ts";

/** Empty messages in the crafted files: 4 MB of two-byte messages. */
const EMPTY_MESSAGES = 2_000_000;
/** Heap a refused 4 MB file may add (the unbounded reader took ~100x the file). */
const MAX_HEAP_GROWTH = 96 * 1024 * 1024;

const varint = (v: number) => { const out: number[] = []; do { out.push((v & 0x7f) | (v > 0x7f ? 0x80 : 0)); v >>>= 7; } while (v); return out; };

/** `count` copies of the empty LEN field `field` (tag, length 0), wrapped in `wrap` when given. */
function repeatedEmpty(field: number, count: number): Uint8Array {
  const out = new Uint8Array(2 * count);
  for (let i = 0; i < count; i++) { out[2 * i] = (field << 3) | 2; out[2 * i + 1] = 0; }
  return out;
}
function lenField(field: number, payload: Uint8Array): Uint8Array {
  const head = [(field << 3) | 2, ...varint(payload.length)];
  const out = new Uint8Array(head.length + payload.length);
  out.set(head);
  out.set(payload, head.length);
  return out;
}
const concat = (...parts: Uint8Array[]) => { const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0)); let at = 0; for (const p of parts) { out.set(p, at); at += p.length; } return out; };
const heap = () => process.memoryUsage().heapUsed;

describe("openOnnx bounds what a file can make it record", () => {
  it("refuses 2M empty nodes (4 MB) with a FormatError before recording them all", { timeout: 60_000 }, async () => {
    const file = lenField(7, repeatedEmpty(1, EMPTY_MESSAGES)); // ModelProto.graph { node × 2M }
    const before = heap();
    const err = await openOnnx(memorySource(file, "nodes.onnx")).catch((e) => e);
    expect(heap() - before).toBeLessThan(MAX_HEAP_GROWTH);
    expect(err).toBeInstanceOf(FormatError);
    expect(String(err.message)).toMatch(/nodes\.onnx: .*(memory budget|nodes)/);
  });

  it("refuses more than MAX_ONNX_OPSETS opset_import entries", { timeout: 60_000 }, async () => {
    const file = concat(repeatedEmpty(8, MAX_ONNX_OPSETS + 1), lenField(7, new Uint8Array(0)));
    const err = await openOnnx(memorySource(file, "opsets.onnx")).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(String(err.message)).toMatch(/opset_import/);
  });

  it("refuses 2M empty initializers (4 MB) by the budget, not after recording them", { timeout: 60_000 }, async () => {
    const file = lenField(7, repeatedEmpty(5, EMPTY_MESSAGES));
    const before = heap();
    const err = await openOnnx(memorySource(file, "inits.onnx")).catch((e) => e);
    expect(heap() - before).toBeLessThan(MAX_HEAP_GROWTH);
    expect(err).toBeInstanceOf(FormatError);
  });
});
