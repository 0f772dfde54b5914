/// <reference lib="webworker" />
/**
 * Web Worker entry of an evaluation in the browser (lib/web/eval-client.ts starts it):
 * opens the model with the browser-safe openModel (File, folder files, `hf:` id or URL), reads
 * the tokenizer (the GGUF's own vocabulary, or a tokenizer.json / llama2.c file), runs
 * runEvalSession on the wasm gemm kernel (kernelLinears) and posts the messages of
 * worker-protocol.ts. A `cancel` message aborts through an AbortController; the session checks
 * it between windows and specs (the page also terminates a worker that does not answer at once).
 * Its imports must never reach lib/web/eval-client.ts, the module that creates it: `next build`
 * (Turbopack 16.4) hangs at 0% CPU on a worker entry whose import graph contains its own
 * `new Worker(new URL(...))` (seen with session-quant-worker.ts -> session-quant.ts).
 */
import type { TensorSource } from "../formats/types.ts";
import { hubFileUrl, parseHfSpec, parseHubUrl } from "../formats/hub.ts";
import { openModel } from "../formats/open.ts";
import { kernelLinears, type KernelLinears } from "../model/kernel-linear.ts";
import { parseSpec, type QuantSpec } from "../quant/spec.ts";
import { llamaConfig, type LlamaConfig } from "../model/config.ts";
import { MAX_GEMM_MEMORY_BYTES } from "../kernels/gemm-kernel.ts";
import { sessionKernelBytes } from "../eval/memory-plan.ts";
import { modelIdOf } from "../formats/model-id.ts";
import type { EvalResult } from "../eval/metrics.ts";
import { runEvalSession, tokenizeDocuments } from "../eval/session.ts";
import { openTokenizerFile, tokenizerForModel } from "../tokenizers/open.ts";
import type { Tokenizer } from "../tokenizers/types.ts";
import {
  describeEvalError, EvalInputError, isAbortError, orderSpecs, PROGRESS_INTERVAL_MS, validateStart,
  type FromWorker, type ModelInfo, type StartMessage,
} from "./worker-protocol.ts";

const scope = self as unknown as DedicatedWorkerGlobalScope;
let running: AbortController | null = null;

const post = (m: FromWorker) => scope.postMessage(m);
/** Lets queued messages (a `cancel`) in between two steps of the synchronous evaluation. */
const yieldToEvents = () => new Promise<void>((r) => setTimeout(r, 0));

scope.onmessage = (e: MessageEvent<unknown>) => {
  const m = e.data as { type?: unknown } | null;
  if (m?.type === "cancel") { running?.abort(); return; }
  if (m?.type !== "start" || running) return; // one evaluation per worker
  running = new AbortController();
  // the last message goes out first: the page must not wait on closing the model and the kernel
  void evaluateInWorker(m, running.signal).then(async ({ last, close }) => { running = null; post(last); await close(); });
};

/** Plain fields only: what the page needs to record the model (structured clone safe). */
function modelInfo(source: TensorSource): ModelInfo {
  return {
    name: source.name,
    format: source.format,
    config: JSON.parse(JSON.stringify(source.config, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v))) as ModelInfo["config"],
    tensors: source.tensors.map((t) => ({
      name: t.name, fileName: t.fileName, dtype: t.dtype, shape: [...t.shape], numel: t.numel, shard: t.shard,
      byteOffset: t.byteOffset, byteLength: t.byteLength, ...(t.layout ? { layout: t.layout } : {}),
    })),
    modelId: modelIdOf(source),
  };
}

/** tokenizer.json (and tokenizer_config.json, when there is one) next to a model opened by `hf:` id or URL. */
async function tokenizerBeside(model: string, endpoint: string | undefined): Promise<{ file: Blob; config?: Blob } | null> {
  const ref = model.startsWith("hf:") ? parseHfSpec(model, { endpoint }) : parseHubUrl(model);
  const dir = (name: string) => ref ? hubFileUrl(ref, ref.file?.includes("/") ? `${ref.file.slice(0, ref.file.lastIndexOf("/"))}/${name}` : name)
    : new URL(name, /\.(safetensors|gguf|bin|onnx|json)$/i.test(new URL(model).pathname) ? model : model.replace(/\/?$/, "/")).href;
  const get = async (name: string) => {
    const res = await fetch(dir(name));
    if (res.status === 404 || res.status === 401 || res.status === 403) return null;
    if (!res.ok) throw new Error(`${dir(name)} answered ${res.status} ${res.statusText}`);
    return res.blob();
  };
  const file = await get("tokenizer.json");
  if (!file) return null;
  return { file, config: (await get("tokenizer_config.json").catch(() => null)) ?? undefined };
}

async function tokenizerOf(msg: StartMessage, source: TensorSource): Promise<Tokenizer> {
  const own = tokenizerForModel(source);
  if (msg.tokenizer === "embedded" || (msg.tokenizer === "beside" && own)) {
    if (!own) throw new EvalInputError(`${source.name} holds no tokenizer of its own: pick its tokenizer.json or llama2.c tokenizer .bin.`);
    return own;
  }
  if (msg.tokenizer === "beside") {
    const files = Array.isArray(msg.model) ? msg.model : null;
    const found = files
      ? (() => { const f = files.find((x) => x.name === "tokenizer.json"); return f ? { file: f as Blob, config: files.find((x) => x.name === "tokenizer_config.json") } : null; })()
      : typeof msg.model === "string" ? await tokenizerBeside(msg.model, msg.endpoint) : null;
    if (!found) throw new EvalInputError(`There is no tokenizer.json next to ${source.name}: pick its tokenizer.json or llama2.c tokenizer .bin.`);
    return openTokenizerFile(new Uint8Array(await found.file.arrayBuffer()), "tokenizer.json", {
      vocabSize: source.config.vocabSize, tokenizerConfig: found.config ? await found.config.text() : undefined,
    });
  }
  const { file, name, config } = msg.tokenizer;
  return openTokenizerFile(new Uint8Array(await file.arrayBuffer()), name, {
    vocabSize: source.config.vocabSize,
    tokenizerConfig: config ? await config.text() : undefined,
  });
}

/**
 * Refuses, before any weight is read, a model whose engines cannot fit the one wasm32 memory (4 GB)
 * the browser's kernels have: FP32 (4 bytes per weight) plus the largest spec's packed codes.
 */
function checkFitsWasm(name: string, config: LlamaConfig, specs: QuantSpec[]): void {
  const need = sessionKernelBytes(config, specs, "spec-major");
  if (need <= MAX_GEMM_MEMORY_BYTES) return;
  const gb = (b: number) => (b / 1e9).toFixed(1);
  throw new EvalInputError(`${name} is too large to evaluate in the browser: its float32 weights and the largest spec's codes take ${gb(need)} GB, `
    + `and the browser's WebAssembly memory holds at most ${gb(MAX_GEMM_MEMORY_BYTES)} GB (wasm32), about 0.8 B parameters. Run \`quantlens eval\` from the command line instead.`);
}

/** Runs one evaluation; returns its last message (done, cancelled or error) for the caller to post, then `close`. */
async function evaluateInWorker(raw: unknown, signal: AbortSignal): Promise<{ last: FromWorker; close: () => Promise<void> }> {
  let source: TensorSource | null = null;
  let linears: KernelLinears | null = null;
  const close = async () => {
    await linears?.close().catch(() => undefined);
    await source?.close().catch(() => undefined);
  };
  const last = await evaluate(raw, signal, (s) => { source = s; }, (l) => { linears = l; });
  return { last, close };
}

/** The evaluation itself; hands the opened model and kernel to `keep*` so they are closed after the last message. */
async function evaluate(raw: unknown, signal: AbortSignal, keepSource: (s: TensorSource) => void, keepLinears: (l: KernelLinears) => void): Promise<FromWorker> {
  const t0 = performance.now();
  const elapsed = () => performance.now() - t0;
  try {
    const msg = validateStart(raw);
    const specs = orderSpecs(msg.specs);
    const byCanonical = new Map(specs.map((s, i) => [s.canonical, { name: s.name, index: i }]));
    const source = await openModel(msg.model, { endpoint: msg.endpoint });
    keepSource(source);
    signal.throwIfAborted();
    post({ type: "model", model: modelInfo(source) });
    checkFitsWasm(source.name, await llamaConfig(source), specs.map((s) => parseSpec(s.name)));
    const tokenizer = await tokenizerOf(msg, source);
    const docs = tokenizeDocuments(tokenizer, msg.text);
    const totalTokens = docs.reduce((n, d) => n + Math.max(d.length - 1, 0), 0);
    post({ type: "prepared", documents: docs.length, tokens: totalTokens, tokenizer: tokenizer.name });
    // the session reports from calibration on; reading the weights comes first
    post({ type: "progress", elapsedMs: elapsed(), progress: {
      spec: specs[0]!.canonical, specIndex: 0, specs: specs.length, phase: "load", tokens: 0, totalTokens, documents: 0, totalDocuments: docs.length,
    } });
    await yieldToEvents();
    signal.throwIfAborted();
    const linears = await kernelLinears();
    keepLinears(linears);
    const interval = msg.progressIntervalMs ?? PROGRESS_INTERVAL_MS;
    let last = -Infinity;
    let lastStep = "";
    await runEvalSession({
      source, tokenizer, text: msg.text, calibText: msg.calibText, context: msg.context, specs: specs.map((s) => parseSpec(s.name)),
      f32: linears.f32, packed: linears.packed, signal,
      // spec-major here: one wasm32 memory (4 GB) holds every engine of the run, so FP32 + one spec at a
      // time fits a model twice the size window-major's FP32 + all specs would, and the result table
      // fills spec by spec (a cancel keeps the finished specs); the CLI runs window-major
      order: "spec-major",
      onProgress: (p) => {
        const now = performance.now();
        const step = `${p.specIndex}:${p.phase}`;
        // throttled, but every new spec or phase and every finished spec is shown
        if (step === lastStep && now - last < interval && p.tokens < p.totalTokens) return;
        last = now; lastStep = step;
        post({ type: "progress", progress: { ...p }, elapsedMs: elapsed() });
      },
      onSpec: async (spec, r) => {
        const at = byCanonical.get(spec.text) ?? { name: spec.text, index: -1 };
        const result: EvalResult = { ppl: r.ppl, mean_nll: r.mean_nll, kl: r.kl, top1_agreement: r.top1_agreement, tokens: r.tokens };
        post({ type: "spec", spec: at.name, canonical: spec.text, index: at.index, result, elapsedMs: elapsed() });
        await yieldToEvents();
        signal.throwIfAborted();
      },
    });
    return { type: "done", elapsedMs: elapsed() };
  } catch (e) {
    if (signal.aborted || isAbortError(e)) return { type: "cancelled", elapsedMs: elapsed() };
    return { type: "error", message: describeEvalError(e), elapsedMs: elapsed() };
  }
}
