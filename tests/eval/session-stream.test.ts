/**
 * A session whose specs all run on the FP32 linears (FP32, KV-only) builds them as the weights stream
 * in, one layer of float32 weights in JavaScript at a time, and looks a tied embedding up in the
 * lm_head's kernel copy (issue 14's peak memory): the numbers equal those of the model built after a
 * whole load, and a load that fails half way frees what it had built.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runEvalSession } from "../../lib/eval/session.ts";
import type { TensorInfo, TensorSource } from "../../lib/formats/types.ts";
import { openModel } from "../../lib/formats/open.ts";
import { nodeRuntime } from "../../lib/formats/open-node.ts";
import { kernelLinears } from "../../lib/model/kernel-linear.ts";
import { buildModel, llamaEngine, loadLlama } from "../../lib/model/llama.ts";
import { DOCUMENT_SEPARATOR, splitDocuments } from "../../lib/model/protocol.ts";
import { parseSpecList } from "../../lib/quant/spec.ts";
import { parseLlama2cTokenizer } from "../../lib/tokenizers/llama2c.ts";
import { fixture } from "../helpers/fixtures.ts";

/** the same float32 weights through the same kernels in the same order: equal bit for bit */
const MAX_STREAM_DIFF = 0;

async function stories() {
  const [model, tok, textPath] = await Promise.all([fixture("models/stories260K.bin"), fixture("models/tok512.bin"), fixture("corpora/tinystories_valid_excerpt.txt")]);
  if (!model || !tok || !textPath) return null;
  const tokenizer = parseLlama2cTokenizer(readFileSync(tok), tok, 512);
  const text = splitDocuments(readFileSync(textPath, "utf8")).slice(0, 4).join(`\n${DOCUMENT_SEPARATOR}\n`);
  return { model, tokenizer, text };
}

/** `source` with a hook run before each tensor is read */
function watched(source: TensorSource, before: (t: TensorInfo) => void): TensorSource {
  return { ...source, readRaw: (t, chunk) => { before(t); return source.readRaw(t, chunk); } };
}

describe("runEvalSession: FP32 and KV-only specs stream the weights", () => {
  it("builds the kernel linears while the file is still being read and scores FP32 and KV8 exactly as the model built after a whole load", async (ctx) => {
    const s = await stories();
    if (!s) return ctx.skip();
    const specs = parseSpecList("FP32,KV8");
    const k = await kernelLinears();
    const source = await openModel(s.model, { runtime: nodeRuntime });
    try {
      // streamed: kernel memory is in use before the last layer's tensors are read
      let heapAtLastTensor = -1;
      const last = source.tensors.filter((t) => t.name.startsWith("model.layers.")).at(-1)!.name;
      const streamed = await runEvalSession({
        source: watched(source, (t) => { if (t.name === last) heapAtLastTensor = k.kernel.heap.used; }),
        tokenizer: s.tokenizer, text: s.text, specs, f32: k.f32, packed: k.packed, context: 96,
      });
      expect(heapAtLastTensor).toBeGreaterThan(0);
      expect(k.kernel.heap.used).toBe(0); // every linear freed at the end
      // reference: the FP32 model built after a whole load
      const { config, weights } = await loadLlama(source);
      const fp = llamaEngine(buildModel(config, weights, k.f32), { name: "FP32" });
      const loaded = await runEvalSession({ source, tokenizer: s.tokenizer, text: s.text, specs, f32: k.f32, packed: k.packed, context: 96, reference: fp });
      await fp.close();
      for (const spec of ["FP32", "KV8"]) {
        const a = streamed.get(spec)!, b = loaded.get(spec)!;
        expect(a.tokens).toBe(b.tokens);
        for (const key of ["ppl", "mean_nll", "kl", "top1_agreement"] as const) expect(Math.abs(a[key]! - b[key]!), `${spec} ${key}`).toBeLessThanOrEqual(MAX_STREAM_DIFF);
      }
      expect(streamed.get("KV8")!.kl).toBeGreaterThan(0);
    } finally {
      await source.close();
      await k.close();
    }
  });

  it("a load that fails in layer 2 rejects with the reader's error and frees the linears it had built", async (ctx) => {
    const s = await stories();
    if (!s) return ctx.skip();
    const k = await kernelLinears();
    const source = await openModel(s.model, { runtime: nodeRuntime });
    try {
      const bad = watched(source, (t) => { if (t.name.startsWith("model.layers.2.")) throw new Error(`${t.name}: disk read failed`); });
      await expect(runEvalSession({ source: bad, tokenizer: s.tokenizer, text: s.text, specs: parseSpecList("FP32,KV4"), f32: k.f32, packed: k.packed, context: 96 }))
        .rejects.toThrow(/model\.layers\.2\..*disk read failed/);
      expect(k.kernel.heap.used).toBe(0);
    } finally {
      await source.close();
      await k.close();
    }
  });
});
