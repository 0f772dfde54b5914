/**
 * The onnxruntime-web engine on the torch.onnx export of stories260K: greedy ids from BOS equal
 * the llama2.c reference, weight rewriting is exact (identity = bit-identical logits), a
 * pseudo-quantizing transform changes logits but mostly keeps top-1, the transform sees every
 * linear weight once as HF [out, in] (compared with the safetensors form), FP32 and W4 logits
 * agree with our own Llama forward pass, and bad files fail with their name in the message.
 */
import { mkdtempSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import type { LogitsEngine } from "../../lib/model/engine.ts";
import { openModel } from "../../lib/formats/open.ts";
import { nodeRuntime } from "../../lib/formats/open-node.ts";
import { openOrtEngine } from "../../lib/model/ort/engine.ts";
import { openOrtEngineFromPath } from "../../lib/model/ort/node.ts";
import { fixture, readFixture } from "../helpers/fixtures.ts";
import { tensorF32 } from "../helpers/read-tensor.ts";
import { buildModel, jsLinear, llamaEngine, loadLlama } from "../../lib/model/llama.ts";
import { pseudoQuantize } from "../../lib/quant/rtn.ts";
import { argmax, collect } from "./ort-helpers.ts";

const GREEDY = [403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426, 338, 401, 396, 267, 337];
const onnx = await fixture("models/stories260K-onnx/model.onnx");
const hf = await fixture("models/stories260K-hf/model.safetensors");
const W4G32 = (w: Float32Array, r: number, c: number) => pseudoQuantize(w, r, c, { bits: 4, groupSize: 32 });

/** Greedy decoding from BOS, one whole window per step. */
async function greedy(engine: LogitsEngine, n: number): Promise<number[]> {
  const ids = [1];
  for (let i = 0; i < n; i++) {
    const rows = await collect(engine, Int32Array.from(ids));
    ids.push(argmax(rows.at(-1)!));
  }
  return ids.slice(1);
}

describe.skipIf(!onnx)("openOrtEngine on stories260K-onnx", () => {
  const path = onnx!;
  const expectedShapes: Record<string, [number, number]> = {
    q_proj: [64, 64], k_proj: [32, 64], v_proj: [32, 64], o_proj: [64, 64],
    gate_proj: [172, 64], up_proj: [172, 64], down_proj: [64, 172],
  };

  it("greedy from BOS gives the llama2.c ids", async () => {
    const engine = await openOrtEngineFromPath(path, { contextLength: 512 });
    expect(engine.vocabSize).toBe(512);
    expect(engine.contextLength).toBe(512);
    expect(engine.rewritten).toEqual([]);
    expect(await greedy(engine, 20)).toEqual(GREEDY);
    await engine.close();
  });

  it("the transform sees every linear weight once, as HF [out, in], never lm_head or the embedding", async () => {
    const seen: Array<[string, Float32Array, number, number]> = [];
    const engine = await openOrtEngineFromPath(path, { transformWeight: (n, w, r, c) => { seen.push([n, w.slice(), r, c]); return null; } });
    const names = seen.map((s) => s[0]);
    expect(new Set(names).size).toBe(35);
    expect(names.length).toBe(35);
    for (const [name, , rows, cols] of seen) {
      expect(name).toMatch(/^model\.layers\.[0-4]\.(self_attn|mlp)\.\w+_proj\.weight$/);
      expect([rows, cols]).toEqual(expectedShapes[name.split(".")[4]!]);
    }
    expect(engine.rewritten).toEqual([]); // null keeps every tensor
    await engine.close();
    if (!hf) return;
    const st = await openModel(hf, { runtime: nodeRuntime }); // same weights in PyTorch [out, in] order
    for (const [name, w] of seen) expect(w).toEqual(await tensorF32(st, st.tensors.find((t) => t.name === name)!));
    await st.close();
  });

  it("identity transform: every weight rewritten, logits bit-identical", async () => {
    const plain = await openOrtEngineFromPath(path);
    const same = await openOrtEngineFromPath(path, { transformWeight: (_n, w) => w });
    expect(same.rewritten.length).toBe(35);
    const window = Int32Array.from([1, ...GREEDY]);
    const a = await collect(plain, window), b = await collect(same, window);
    expect(b).toEqual(a);
    await Promise.all([plain.close(), same.close()]);
  });

  it("W4 g32 RTN changes the logits but keeps most greedy top-1", async () => {
    const plain = await openOrtEngineFromPath(path);
    const q = await openOrtEngineFromPath(path, { transformWeight: (_n, w, r, c) => W4G32(w, r, c) });
    const window = Int32Array.from([1, ...(await greedy(plain, 63))]);
    const a = await collect(plain, window), b = await collect(q, window);
    let agree = 0, maxDiff = 0;
    for (let i = 0; i < a.length; i++) {
      if (argmax(a[i]!) === argmax(b[i]!)) agree++;
      for (let j = 0; j < 512; j++) maxDiff = Math.max(maxDiff, Math.abs(a[i]![j]! - b[i]![j]!));
    }
    expect(maxDiff).toBeGreaterThan(1e-3);
    expect(agree / a.length).toBeGreaterThan(0.7);
    await Promise.all([plain.close(), q.close()]);
  });

  it("FP32 and W4-g32 logits agree with lib/model's Llama forward pass on the same weights", async () => {
    const src = await openModel(path, { runtime: nodeRuntime });
    const { config, weights } = await loadLlama(src);
    await src.close();
    const window = Int32Array.from([1, ...GREEDY, 2, 5, 300, 17]);
    for (const quant of [false, true]) {
      if (quant) for (const L of weights.layers) { // [out, in]: RTN groups are along rows, so q/k row order does not matter
        for (const k of ["wq", "wk", "wv", "wo", "gate", "up", "down"] as const) {
          const cols = k === "down" ? config.hiddenDim : k === "wo" ? config.nHeads * config.headDim : config.dim;
          L[k] = W4G32(L[k]!, L[k]!.length / cols, cols);
        }
      }
      const ours = llamaEngine(buildModel(config, weights, jsLinear), { name: "llama" });
      const ort = await openOrtEngineFromPath(path, quant ? { transformWeight: (_n, w, r, c) => W4G32(w, r, c) } : {});
      const a = await collect(ours, window), b = await collect(ort, window);
      let maxDiff = 0;
      a.forEach((r, i) => r.forEach((x, j) => { maxDiff = Math.max(maxDiff, Math.abs(x - b[i]![j]!)); }));
      expect(maxDiff).toBeLessThan(1e-4);
      await Promise.all([ours.close(), ort.close()]);
    }
  });

  it("in-memory model: missing external data, bad bytes, window limits and abort", async () => {
    const modelBytes = readFixture(path);
    await expect(openOrtEngine({ modelBytes, name: "mem/model.onnx" })).rejects.toThrow(/mem\/model\.onnx.*stories260K\.onnx\.data/);
    await expect(openOrtEngine({ modelBytes: modelBytes.subarray(0, 1000), name: "cut.onnx" })).rejects.toThrow(/^cut\.onnx: /);
    const data = readFixture(join(dirname(path), "stories260K.onnx.data"));
    const e = await openOrtEngine({ modelBytes, externalData: [{ path: "stories260K.onnx.data", data }], name: "m" }, { contextLength: 8 });
    await expect(collect(e, new Int32Array(9).fill(1))).rejects.toThrow(/exceeds the context length 8/);
    expect(await collect(e, new Int32Array(0))).toEqual([]);
    await expect(collect(e, Int32Array.of(1), AbortSignal.abort())).rejects.toThrow();
    await e.close();
    await expect(collect(e, Int32Array.of(1))).rejects.toThrow(/closed/);
  });

  it("bad files on disk fail naming the file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ort-bad-"));
    const garbage = join(dir, "garbage.onnx");
    writeFileSync(garbage, new Uint8Array(256).fill(0xff));
    await expect(openOrtEngineFromPath(garbage)).rejects.toThrow(garbage);
    const lonely = join(dir, "model.onnx"); // external data file missing beside it
    copyFileSync(path, lonely);
    await expect(openOrtEngineFromPath(lonely)).rejects.toThrow(/model\.onnx.*stories260K\.onnx\.data/);
    await expect(openOrtEngineFromPath(join(dir, "absent.onnx"))).rejects.toThrow(/absent\.onnx: open: no such file/);
  });
});
