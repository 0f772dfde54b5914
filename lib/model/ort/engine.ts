/**
 * LogitsEngine on onnxruntime-web for any causal LM exported as input_ids -> logits (with
 * attention_mask / position_ids / empty past inputs fed when the graph has them). A window is one
 * session.run over all its tokens, yielded row by row. With `transformWeight`, the linear weights
 * are pseudo-quantized by rewriting their initializer bytes before the session is created
 * (lib/model/ort/rewrite.ts); `rewritten` lists the tensors that changed.
 */
import * as ort from "onnxruntime-web";
import type { LogitsEngine } from "../engine.ts";
import { FormatError } from "../../formats/errors.ts";
import { openOnnx } from "../../formats/onnx.ts";
import { bytesSource } from "./bytes-source.ts";
import { OrtEngineError } from "./errors.ts";
import { buildFeeds, planInputs } from "./feeds.ts";
import { rewriteWeights, type WeightTransform } from "./rewrite.ts";
import { logitRows, pickOutput } from "./session.ts";

/** An ONNX model in memory: model.onnx bytes and the external data files it names. */
export interface OrtModel {
  modelBytes: Uint8Array;
  /** `path` is the tensors' external_data location (relative to model.onnx) */
  externalData?: Array<{ path: string; data: Uint8Array }>;
  /** file name or path, used in labels and errors */
  name: string;
}

/** Options of openOrtEngine. */
export interface OrtEngineOptions {
  /** replaces each linear weight [out, in] (lm_head and the embedding excluded); null keeps it */
  transformWeight?: WeightTransform;
  /** the most tokens per window (ONNX files do not record it); default 2048 */
  contextLength?: number;
  /** default: the logits output's last dimension, else the embedding rows */
  vocabSize?: number;
  inputName?: string;
  outputName?: string;
  /** engine label; default "onnxruntime-web <model name>" */
  label?: string;
  /** browser: where ort-wasm-*.{mjs,wasm} are served (ort.env.wasm.wasmPaths); Node finds them itself */
  wasmPaths?: ort.Env.WasmPrefixOrFilePaths;
  /** wasm threads, set before the first session of the page/process (default 1) */
  numThreads?: number;
}

/** A LogitsEngine plus the names of the initializers its transform rewrote. */
export interface OrtEngine extends LogitsEngine { readonly rewritten: string[] }

/** Opens `model` in onnxruntime-web, rewriting linear weights through `opts.transformWeight` first. */
export async function openOrtEngine(model: OrtModel, opts: OrtEngineOptions = {}): Promise<OrtEngine> {
  if (opts.wasmPaths !== undefined) ort.env.wasm.wasmPaths = opts.wasmPaths;
  ort.env.wasm.numThreads = opts.numThreads ?? 1;
  const external = model.externalData ?? [];
  const byPath = new Map(external.map((e) => [e.path, e.data]));
  const locations: string[] = [];
  const source = await openOnnx(bytesSource(model.modelBytes, model.name), {
    name: model.name,
    resolveExternal: async (loc) => {
      const data = byPath.get(loc);
      if (!data) throw new FormatError(model.name, "external_data", `needs "${loc}", which was not given (have: ${[...byPath.keys()].join(", ") || "none"})`);
      locations.push(loc);
      return bytesSource(data, loc);
    },
  });
  let buffers = [model.modelBytes, ...locations.map((l) => byPath.get(l)!)];
  let rewritten: string[] = [];
  if (opts.transformWeight) ({ buffers, rewritten } = rewriteWeights(model.name, source, buffers, opts.transformWeight));
  await source.close();
  const extra = external.filter((e) => !locations.includes(e.path)); // files ORT may need that no initializer named
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(buffers[0]!, {
      externalData: [...locations.map((path, i) => ({ path, data: buffers[i + 1]! })), ...extra],
    });
  } catch (e) {
    throw new OrtEngineError(model.name, `onnxruntime-web cannot load the model: ${(e as Error).message ?? e}`);
  }
  const plans = planInputs(model.name, session.inputMetadata, opts.inputName);
  const output = pickOutput(model.name, session, opts.outputName);
  const lastDim = output.shape.at(-1);
  const vocabSize = opts.vocabSize ?? (typeof lastDim === "number" ? lastDim : source.config.vocabSize);
  if (!vocabSize) throw new OrtEngineError(model.name, `cannot tell the vocabulary size of output "${output.name}"; pass vocabSize`);
  const contextLength = opts.contextLength ?? 2048;
  const name = opts.label ?? `onnxruntime-web ${model.name}`;
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  return {
    name, vocabSize, contextLength, rewritten,
    async *window(tokens: Int32Array, signal?: AbortSignal): AsyncIterable<Float32Array> {
      if (closed) throw new OrtEngineError(model.name, "engine is closed");
      if (tokens.length > contextLength) throw new OrtEngineError(model.name, `window of ${tokens.length} tokens exceeds the context length ${contextLength}`);
      if (tokens.length === 0) return;
      signal?.throwIfAborted();
      const feeds = buildFeeds(model.name, plans, tokens);
      const run = queue.then(() => session.run(feeds, [output.name])); // one run at a time per session
      queue = run.catch(() => undefined);
      const result = await run;
      yield* logitRows(model.name, result[output.name]!, tokens.length, vocabSize, signal);
    },
    async close() {
      if (closed) return;
      closed = true;
      await queue;
      await session.release();
    },
  };
}
