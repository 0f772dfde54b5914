/**
 * The graphs of the onnxruntime-web matmul peer (bench/onnx-writer.ts) at small shapes: each runs
 * in onnxruntime-web and passes its scalar check, and the check rejects a corrupted output.
 */
import * as ort from "onnxruntime-web";
import { describe, expect, it } from "vitest";
import { dynamicCase, f32Case, matMulIntegerCase, nbitsCase, qlinearCase, type MatmulCase } from "../../lib/model/ort/matmul-graphs.ts";

const M = 5, K = 256, N = 24;
const CASES: Array<[string, () => MatmulCase]> = [
  ["f32 MatMul", () => f32Case(M, K, N)],
  ["MatMulInteger u8s8", () => matMulIntegerCase(M, K, N, true)],
  ["MatMulInteger u8u8", () => matMulIntegerCase(M, K, N, false)],
  ["QLinearMatMul", () => qlinearCase(M, K, N)],
  ["DynamicQuantizeLinear + MatMulInteger", () => dynamicCase(M, K, N)],
  ["MatMulNBits b32", () => nbitsCase(M, K, N, 32, 0)],
  ["MatMulNBits b128 accuracy 4", () => nbitsCase(M, K, N, 128, 4)],
];

describe("ORT matmul peer graphs", () => {
  it.each(CASES)("%s runs and matches its scalar check", async (_label, make) => {
    ort.env.wasm.numThreads = 1;
    const c = make();
    const session = await ort.InferenceSession.create(c.model);
    const out = (await session.run(c.feeds))[session.outputNames[0]!]!;
    expect(out.dims).toEqual([M, N]);
    c.check(out);
    const data = out.data as Float32Array | Int32Array | Uint8Array;
    data[(M >> 1) * N + 3] = data[(M >> 1) * N + 3]! + 7; // one wrong element in a checked row
    expect(() => c.check(out)).toThrow(/Y\[2\]\[3\]/);
    await session.release();
  });
});
