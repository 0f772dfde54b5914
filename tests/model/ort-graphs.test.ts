/**
 * The onnxruntime-web engine on tiny causal-LM-shaped graphs built in memory (no fixture):
 * attention_mask / position_ids / empty past inputs are fed, logits match a JS computation,
 * linear weights are rewritten whether they sit in model.onnx raw_data or in external data,
 * and graphs or transforms the engine cannot use fail with OrtEngineError.
 */
import { describe, expect, it } from "vitest";
import { openOrtEngine } from "../../lib/model/ort/engine.ts";
import { OrtEngineError } from "../../lib/model/ort/errors.ts";
import { encodeModel, OnnxType, rawBytes, type ValueSpec } from "../../lib/model/ort/onnx-writer.ts";
import { collect } from "./ort-helpers.ts";

const V = 8, D = 4, MAXPOS = 16;
const E = Float32Array.from({ length: V * D }, (_, i) => Math.sin(i + 1));
const P = Float32Array.from({ length: MAXPOS * D }, (_, i) => Math.cos(i) / 4);
const W = Float32Array.from({ length: D * V }, (_, i) => ((i * 7) % 11) / 5 - 1); // [in = D, out = V]
const ids = (name: string, type: number = OnnxType.INT64): ValueSpec => ({ name, elemType: type, shape: ["batch", "seq"] });

/** logits = ((E[ids] + P[positions]) @ W) * mask, plus optional extra (unused) inputs. */
function tinyLm(opts: { external?: boolean; extraInputs?: ValueSpec[] } = {}): Uint8Array {
  return encodeModel({
    inputs: [ids("input_ids"), ids("attention_mask"), ids("position_ids"), ...(opts.extraInputs ?? [])],
    outputs: [{ name: "logits", elemType: OnnxType.FLOAT, shape: ["batch", "seq", V] }],
    initializers: [
      { name: "E", dataType: OnnxType.FLOAT, dims: [V, D], data: rawBytes(E) },
      { name: "P", dataType: OnnxType.FLOAT, dims: [MAXPOS, D], data: rawBytes(P) },
      { name: "W", dataType: OnnxType.FLOAT, dims: [D, V], data: rawBytes(W), external: opts.external ? { location: "w.bin", offset: 0 } : undefined },
      { name: "axes", dataType: OnnxType.INT64, dims: [1], data: rawBytes(BigInt64Array.of(-1n)) },
    ],
    nodes: [
      { opType: "Gather", inputs: ["E", "input_ids"], outputs: ["h"] },
      { opType: "Gather", inputs: ["P", "position_ids"], outputs: ["p"] },
      { opType: "Add", inputs: ["h", "p"], outputs: ["x"] },
      { opType: "MatMul", inputs: ["x", "W"], outputs: ["y"] },
      { opType: "Cast", inputs: ["attention_mask"], outputs: ["mf"], attrs: { to: OnnxType.FLOAT } },
      { opType: "Unsqueeze", inputs: ["mf", "axes"], outputs: ["m3"] },
      { opType: "Mul", inputs: ["y", "m3"], outputs: ["logits"] },
    ],
  });
}

/** The same computation in JS (float64), with W scaled by `k`. */
function reference(tokens: number[], k = 1): Float32Array[] {
  return tokens.map((tok, t) => Float32Array.from({ length: V }, (_, v) => {
    let s = 0;
    for (let d = 0; d < D; d++) s += (E[tok * D + d]! + P[t * D + d]!) * W[d * V + v]! * k;
    return s;
  }));
}

const TOKENS = [1, 5, 2, 7, 7, 0];

describe("openOrtEngine on graphs built in memory", () => {
  it("feeds attention_mask, position_ids and empty past inputs; logits match JS", async () => {
    const extra: ValueSpec[] = [
      { name: "past_key_values.0.key", elemType: OnnxType.FLOAT, shape: ["batch", 2, "past_seq", 2] },
      { name: "use_cache_branch", elemType: OnnxType.BOOL, shape: [1] },
    ];
    const e = await openOrtEngine({ modelBytes: tinyLm({ extraInputs: extra }), name: "tiny.onnx" }, { contextLength: MAXPOS });
    expect(e.vocabSize).toBe(V);
    const rows = await collect(e, Int32Array.from(TOKENS));
    const ref = reference(TOKENS);
    rows.forEach((r, t) => r.forEach((x, v) => expect(x).toBeCloseTo(ref[t]![v]!, 5)));
    await e.close();
  });

  it("rewrites a raw_data weight in model.onnx: transform sees [out, in], scaled weights scale logits", async () => {
    let seen: [string, number, number, number] | null = null;
    const modelBytes = tinyLm();
    const before = modelBytes.slice();
    const e = await openOrtEngine({ modelBytes, name: "tiny.onnx" }, {
      transformWeight: (name, w, rows, cols) => {
        seen = [name, rows, cols, w[1 * cols + 2]!]; // element [out 1, in 2] = W[in 2][out 1]
        return w.map((x) => x * 2);
      },
    });
    expect(seen).toEqual(["W", V, D, W[2 * V + 1]]);
    expect(e.rewritten).toEqual(["W"]); // E (embedding, tied lm_head) and P (a Gather table) untouched
    expect(modelBytes).toEqual(before); // the caller's bytes are not modified
    const rows = await collect(e, Int32Array.from(TOKENS));
    const ref = reference(TOKENS, 2);
    rows.forEach((r, t) => r.forEach((x, v) => expect(x).toBeCloseTo(ref[t]![v]!, 5)));
    await e.close();
  });

  it("rewrites an external-data weight in a copy of the data file", async () => {
    const data = rawBytes(W.slice());
    const before = data.slice();
    const e = await openOrtEngine({ modelBytes: tinyLm({ external: true }), externalData: [{ path: "w.bin", data }], name: "ext.onnx" },
      { transformWeight: (_n, w) => new Float32Array(w.length) });
    expect(e.rewritten).toEqual(["W"]);
    expect(data).toEqual(before);
    for (const r of await collect(e, Int32Array.from(TOKENS))) expect(Array.from(r)).toEqual(new Array(V).fill(0));
    await e.close();
  });

  it("fails clearly on inputs it cannot feed and on a transform of the wrong size", async () => {
    const pixels: ValueSpec = { name: "pixel_values", elemType: OnnxType.FLOAT, shape: [1, 3] };
    const bad = openOrtEngine({ modelBytes: tinyLm({ extraInputs: [pixels] }), name: "vision.onnx" });
    await expect(bad).rejects.toThrow(OrtEngineError);
    await expect(bad).rejects.toThrow(/^vision\.onnx: graph input "pixel_values"/);
    const short = openOrtEngine({ modelBytes: tinyLm(), name: "tiny.onnx" }, { transformWeight: () => new Float32Array(3) });
    await expect(short).rejects.toThrow(/transform of "W" returned 3 values, expected a Float32Array of 8x4/);
    await expect(openOrtEngine({ modelBytes: tinyLm(), name: "tiny.onnx" }, { inputName: "tokens" })).rejects.toThrow(/no token id input named "tokens"/);
  });
});
