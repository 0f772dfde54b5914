/**
 * The evaluation worker's protocol (lib/web/worker-protocol.ts): start-message checks, spec order,
 * worker-message shapes, run progress and plain error words. Then the worker itself
 * (lib/web/eval-worker.ts) in this process behind a fake `self`, on stories260K.gguf, against
 * `quantlens eval --json`, and lib/web/eval-client.ts recording its runs in a duckdb-wasm store.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../lib/cli/main.ts";
import { startEval, type EvalWorkerLike } from "../../lib/web/eval-client.ts";
import {
  describeEvalError, EvalInputError, orderSpecs, parseFromWorker, runFraction, runProgress, validateStart,
  type FromWorker, type StartMessage,
} from "../../lib/web/worker-protocol.ts";
import { FormatError } from "../../lib/formats/errors.ts";
import { fetchRunResults } from "../../lib/store/eval-queries.ts";
import { openWasmNodeStore } from "../../lib/store/wasm-node.ts";
import { captureEffects } from "../helpers/capture.ts";
import { fixture } from "../helpers/fixtures.ts";
import { startRangeServer } from "../helpers/range-server.ts";
import { SpecError } from "../../lib/quant/spec.ts";

const blob = new Blob(["x"]);
const start = (patch: Partial<StartMessage> = {}): StartMessage => ({
  type: "start", model: blob, tokenizer: "embedded", text: "one\n<|endoftext|>\ntwo", specs: ["FP32", "W8"], ...patch,
});

describe("validateStart", () => {
  it("accepts a Blob, a File list, an hf: id or a URL, with the embedded or a picked tokenizer", () => {
    expect(validateStart(start())).toMatchObject({ type: "start" });
    expect(validateStart(start({ model: [new File(["a"], "config.json"), new File(["b"], "model.safetensors")] }))).toBeTruthy();
    expect(validateStart(start({ model: "hf:karpathy/stories260K", endpoint: "http://127.0.0.1:9" }))).toBeTruthy();
    expect(validateStart(start({ model: "https://example.org/m.gguf", tokenizer: { file: blob, name: "tokenizer.json" } }))).toBeTruthy();
  });

  it("refuses what cannot run, in words a person can act on", () => {
    expect(() => validateStart(null)).toThrow(EvalInputError);
    expect(() => validateStart(start({ model: "my model" }))).toThrow(/neither a Hugging Face id/);
    expect(() => validateStart(start({ model: [] }))).toThrow(/open the model again/);
    expect(() => validateStart(start({ model: 42 as unknown as Blob }))).toThrow(/No model to evaluate/);
    expect(() => validateStart(start({ endpoint: "ftp://x" }))).toThrow(/endpoint/);
    expect(() => validateStart(start({ tokenizer: { name: "tokenizer.json" } as unknown as StartMessage["tokenizer"] }))).toThrow(/Pick a tokenizer/);
    expect(() => validateStart(start({ text: "  \n<|endoftext|>\n  " }))).toThrow(/text is empty/);
    expect(() => validateStart(start({ calibText: "" }))).toThrow(/calibration text is empty/);
    expect(() => validateStart(start({ specs: [] }))).toThrow(/at least one spec/);
    expect(() => validateStart(start({ specs: ["FP32", "W9"] }))).toThrow(SpecError);
    expect(() => validateStart(start({ specs: ["FP32", "W9"] }))).toThrow(/weight bits 9 outside 2..8/);
    expect(() => validateStart(start({ context: 0 }))).toThrow(/context length must be a positive whole number/);
    expect(() => validateStart(start({ context: 12.5 }))).toThrow(/context length/);
    expect(validateStart(start({ context: 128 }))).toMatchObject({ context: 128 });
  });
});

describe("orderSpecs", () => {
  it("puts FP32 first, keeps the user's names and drops canonical duplicates", () => {
    expect(orderSpecs(["W4", "w8-g128-rtn", "fp32", "W8", " ", "W4A8"])).toEqual([
      { name: "fp32", canonical: "FP32" }, { name: "W4", canonical: "W4" }, { name: "w8-g128-rtn", canonical: "W8" }, { name: "W4A8", canonical: "W4A8" },
    ]);
  });
});

describe("parseFromWorker", () => {
  it("knows each message by its type and fields", () => {
    expect(parseFromWorker({ type: "done", elapsedMs: 1 })).toEqual({ type: "done", elapsedMs: 1 });
    expect(parseFromWorker({ type: "error", message: "x", elapsedMs: 1 })?.type).toBe("error");
    expect(parseFromWorker({ type: "spec", spec: "W8", canonical: "W8", index: 1, result: {}, elapsedMs: 0 })?.type).toBe("spec");
    expect(parseFromWorker({ type: "error" })).toBeNull();
    expect(parseFromWorker({ type: "spec", spec: "W8" })).toBeNull();
    expect(parseFromWorker({ type: "nope" })).toBeNull();
    expect(parseFromWorker("done")).toBeNull();
    expect(parseFromWorker(null)).toBeNull();
  });
});

describe("run progress", () => {
  const specs = ["FP32", "W8", "W4"]; // costs 1, 2, 2
  it("counts FP32 once and a quantized spec twice, and reaches 1 at the end", () => {
    expect(runFraction({ specIndex: 0, phase: "load", tokens: 0, totalTokens: 100 }, specs)).toBe(0);
    expect(runFraction({ specIndex: 0, phase: "evaluate", tokens: 100, totalTokens: 100 }, specs)).toBeCloseTo(0.2);
    expect(runFraction({ specIndex: 1, phase: "quantize", tokens: 0, totalTokens: 100 }, specs)).toBeCloseTo(0.2);
    expect(runFraction({ specIndex: 1, phase: "evaluate", tokens: 50, totalTokens: 100 }, specs)).toBeCloseTo(0.4);
    expect(runFraction({ specIndex: 2, phase: "evaluate", tokens: 100, totalTokens: 100 }, specs)).toBe(1);
  });
  it("estimates the time left from the rate so far, once 2% is done", () => {
    const base = { spec: "W8", specs: 3, documents: 0, totalDocuments: 1 } as const;
    expect(runProgress({ ...base, specIndex: 0, phase: "load", tokens: 0, totalTokens: 100 }, specs, 500).etaMs).toBeNull();
    const p = runProgress({ ...base, specIndex: 1, phase: "evaluate", tokens: 50, totalTokens: 100 }, specs, 4000);
    expect(p.fraction).toBeCloseTo(0.4);
    expect(p.etaMs).toBeCloseTo(6000);
  });
});

describe("describeEvalError", () => {
  it("says what went wrong in plain words", () => {
    expect(describeEvalError(new FormatError("m.gguf", "header", "bad magic"))).toBe("Could not read this model: m.gguf: header: bad magic");
    expect(describeEvalError(new SpecError("W9", "weight bits 9 outside 2..8"))).toBe('quant spec "W9": weight bits 9 outside 2..8');
    expect(describeEvalError(new DOMException("stop", "AbortError"))).toBe("Cancelled.");
    expect(describeEvalError(new TypeError("Failed to fetch"))).toMatch(/Could not reach the server/);
    expect(describeEvalError(new RangeError("eval: the text holds no document"))).toBe("the text holds no document");
  });
});

// ---- the worker in this process: a fake `self` whose messages go to the current listener ----

type Listener = (m: FromWorker) => void;
const scope = {
  onmessage: null as ((e: { data: unknown }) => void) | null,
  listener: null as Listener | null,
  postMessage(m: FromWorker) { queueMicrotask(() => this.listener?.(structuredClone(m))); },
};

/** The in-process worker as eval-client sees a Worker. */
function inProcessWorker(): EvalWorkerLike {
  const message: Array<(e: { data: unknown }) => void> = [];
  scope.listener = (m) => message.forEach((cb) => cb({ data: m }));
  return {
    postMessage: (m) => scope.onmessage!({ data: m }),
    addEventListener: ((type: string, cb: (e: { data: unknown }) => void) => { if (type === "message") message.push(cb); }) as EvalWorkerLike["addEventListener"],
    terminate: () => { scope.listener = null; },
  };
}

/** Posts `msg` to the worker and collects its messages up to the last one. */
function runWorker(msg: StartMessage, onMessage?: (m: FromWorker) => void): Promise<FromWorker[]> {
  return new Promise((resolve) => {
    const got: FromWorker[] = [];
    scope.listener = (m) => {
      got.push(m);
      onMessage?.(m);
      if (m.type === "done" || m.type === "error" || m.type === "cancelled") resolve(got);
    };
    scope.onmessage!({ data: msg });
  });
}

const STORIES = 3;
function firstStories(text: string, n: number): string {
  const lines = text.split("\n");
  const out: string[] = [];
  let seen = 0;
  for (const line of lines) {
    if (line.trim() === "<|endoftext|>" && ++seen === n) break;
    out.push(line);
  }
  return out.join("\n");
}

describe("eval-worker.ts in this process, on stories260K.gguf", () => {
  let gguf: string | null = null;
  let corpus: string | null = null;
  let text = "";
  let file: File;

  beforeAll(async () => {
    gguf = await fixture("models/stories260K.gguf");
    corpus = await fixture("corpora/tinystories_valid_excerpt.txt");
    if (!gguf || !corpus) return;
    text = firstStories(readFileSync(corpus, "utf8"), STORIES);
    file = new File([readFileSync(gguf)], basename(gguf));
    (globalThis as { self?: unknown }).self = scope;
    await import("../../lib/web/eval-worker.ts");
  });

  it("posts model, prepared, throttled progress, one message per spec and done; numbers equal `quantlens eval --json`", async (ctx) => {
    if (!gguf || !corpus) return ctx.skip();
    const msgs = await runWorker({ type: "start", model: file, tokenizer: "embedded", text, specs: ["W8", "FP32"], progressIntervalMs: 1000 });
    const types = msgs.map((m) => m.type);
    expect(types[0]).toBe("model");
    expect(types[1]).toBe("prepared");
    expect(types.at(-1)).toBe("done");
    const prepared = msgs[1] as Extract<FromWorker, { type: "prepared" }>;
    expect(prepared.documents).toBe(STORIES);
    const specs = msgs.filter((m): m is Extract<FromWorker, { type: "spec" }> => m.type === "spec");
    expect(specs.map((s) => [s.spec, s.index])).toEqual([["FP32", 0], ["W8", 1]]);
    expect(specs[0]!.result.tokens).toBe(prepared.tokens);
    // every phase change is shown, the evaluate ticks are throttled to one per second here
    const progress = msgs.filter((m) => m.type === "progress");
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.length).toBeLessThan(20);

    const fx = captureEffects();
    const dir = mkdtempSync(join(tmpdir(), "ql-evalw-"));
    writeFileSync(join(dir, "text.txt"), text);
    expect(await main(["eval", gguf, "--text", join(dir, "text.txt"), "--spec", "FP32,W8", "--json", "--no-progress"], fx)).toBe(0);
    const cli = JSON.parse(fx.stdout()) as Record<string, Record<string, number>>;
    for (const s of specs) {
      for (const k of ["ppl", "mean_nll", "kl", "top1_agreement", "tokens"] as const) expect(s.result[k]).toBeCloseTo(cli[s.spec]![k]!, 9);
    }
  }, 120_000);

  it("answers a bad spec, a missing tokenizer and a broken file with an error message", async (ctx) => {
    if (!gguf) return ctx.skip();
    const bad = await runWorker({ type: "start", model: file, tokenizer: "embedded", text, specs: ["FP32", "W4-g"] });
    expect(bad).toEqual([expect.objectContaining({ type: "error", message: expect.stringContaining('quant spec "W4-g"') })]);
    const bin = await fixture("models/stories260K.bin");
    if (bin) {
      const llama2c = new File([readFileSync(bin)], "stories260K.bin");
      const none = await runWorker({ type: "start", model: llama2c, tokenizer: "embedded", text, specs: ["FP32"] });
      expect(none.map((m) => m.type)).toEqual(["model", "error"]);
      expect(none.at(-1)).toMatchObject({ message: "stories260K.bin holds no tokenizer of its own: pick its tokenizer.json or llama2.c tokenizer .bin." });
      const tok = await fixture("models/tok512.bin");
      if (tok) {
        const ok = await runWorker({ type: "start", model: llama2c, tokenizer: { file: new File([readFileSync(tok)], "tok512.bin"), name: "tok512.bin" }, text, specs: ["FP32"] });
        expect(ok.at(-1)?.type).toBe("done");
        expect(ok.find((m) => m.type === "prepared")).toMatchObject({ documents: STORIES, tokenizer: "tok512.bin (llama2.c)" });
      }
    }
    const broken = await runWorker({ type: "start", model: new File(["not a model"], "broken.gguf"), tokenizer: "embedded", text, specs: ["FP32"] });
    expect(broken.at(-1)).toMatchObject({ type: "error", message: expect.stringMatching(/^This is not .*Could not read this model: broken\.gguf/) });
  });

  it("finds tokenizer.json (and its config) in the Hub repo of an hf: id, and says so when there is none", async (ctx) => {
    const folder = await fixture("models/stories260K-hf");
    if (!gguf || !folder) return ctx.skip();
    const root = mkdtempSync(join(tmpdir(), "ql-evalw-hub-"));
    mkdirSync(join(root, "karpathy/stories260K"), { recursive: true });
    mkdirSync(join(root, "karpathy/bare"), { recursive: true });
    for (const f of ["config.json", "model.safetensors"]) {
      copyFileSync(join(folder, f), join(root, "karpathy/stories260K", f));
      copyFileSync(join(folder, f), join(root, "karpathy/bare", f));
    }
    // a two-piece BPE tokenizer: "hihihi" is BOS + 3 tokens
    writeFileSync(join(root, "karpathy/stories260K/tokenizer.json"), JSON.stringify({
      model: { type: "BPE", vocab: { "<s>": 0, h: 1, i: 2, hi: 3 }, merges: [["h", "i"]] },
      added_tokens: [{ id: 0, content: "<s>", special: true, normalized: false, lstrip: false, rstrip: false, single_word: false }],
    }));
    writeFileSync(join(root, "karpathy/stories260K/tokenizer_config.json"), JSON.stringify({ add_bos_token: true, bos_token: "<s>" }));
    const hub = await startRangeServer(root);
    try {
      const ok = await runWorker({ type: "start", model: "hf:karpathy/stories260K", endpoint: hub.endpoint, tokenizer: "beside", text: "hihihi", specs: ["FP32"] });
      expect(ok.at(-1)?.type).toBe("done");
      expect(ok.find((m) => m.type === "prepared")).toMatchObject({ documents: 1, tokens: 3 });
      const none = await runWorker({ type: "start", model: "hf:karpathy/bare", endpoint: hub.endpoint, tokenizer: "beside", text: "hihihi", specs: ["FP32"] });
      expect(none.at(-1)).toMatchObject({ type: "error", message: "There is no tokenizer.json next to hf:karpathy/bare: pick its tokenizer.json or llama2.c tokenizer .bin." });
      // a GGUF's own vocabulary comes first
      const own = await runWorker({ type: "start", model: [file], tokenizer: "beside", text, specs: ["FP32"] });
      expect(own.find((m) => m.type === "prepared")).toMatchObject({ documents: STORIES, tokenizer: expect.stringContaining("stories260K.gguf") });
    } finally {
      await hub.close();
    }
  });

  it("eval-client records the run in a duckdb-wasm store spec by spec; cancel keeps what finished", async (ctx) => {
    if (!gguf) return ctx.skip();
    const store = await openWasmNodeStore();
    try {
      const seen: string[] = [];
      const h = startEval({ model: file, tokenizer: "embedded", text, specs: ["FP32", "W8"], modelLabel: "local:stories260K.gguf", store, createWorker: inProcessWorker, onSpec: (r) => seen.push(r.spec) });
      const done = await h.finished;
      expect(done).toMatchObject({ status: "done", error: null });
      expect(seen).toEqual(["FP32", "W8"]);
      // `finished` does not wait on the store; `recorded` settles once every row is in
      const runId = await h.recorded;
      const run = await store.queryRow<{ kind: string; status: string; spec: string; model_id: string | null }>("SELECT kind, status, spec, model_id FROM runs WHERE run_id = ?", [runId]);
      expect(run).toMatchObject({ kind: "eval", status: "done", spec: "FP32,W8" });
      expect(run!.model_id).toMatch(/^[0-9a-f]{64}$/);
      expect(await store.queryRow<{ source: string }>("SELECT source FROM models WHERE model_id = ?", [run!.model_id])).toMatchObject({ source: "local:stories260K.gguf" });
      const rows = await fetchRunResults(store, runId!);
      expect(rows).toHaveLength(8);
      expect(rows.find((r) => r.spec === "FP32" && r.metric === "mean_nll")!.value).toBeCloseTo(done.results[0]!.mean_nll!, 12);

      // cancelled once the first spec is in: FP32 is kept, the run is marked cancelled
      const h2 = startEval({
        model: file, tokenizer: "embedded", text, specs: ["FP32", "W4", "W3", "W4A8"], store, createWorker: inProcessWorker,
        onSpec: () => h2.cancel(),
      });
      const cancelled = await h2.finished;
      expect(cancelled.status).toBe("cancelled");
      expect(cancelled.results.map((r) => r.spec)).toEqual(["FP32"]);
      const cancelledId = await h2.recorded;
      expect(await store.queryRow("SELECT status FROM runs WHERE run_id = ?", [cancelledId])).toMatchObject({ status: "cancelled" });
      expect((await fetchRunResults(store, cancelledId!)).map((r) => r.spec)).toEqual(["FP32", "FP32", "FP32", "FP32"]);

      // a start the worker refuses is a failed run with the plain message
      const h3 = startEval({ model: new File(["junk"], "junk.gguf"), tokenizer: "embedded", text, specs: ["FP32"], store, createWorker: inProcessWorker });
      const failed = await h3.finished;
      expect(failed.status).toBe("failed");
      expect(failed.error).toMatch(/^This is not .*Could not read this model: junk\.gguf/);
      expect(await store.queryRow("SELECT status, model_id FROM runs WHERE run_id = ?", [await h3.recorded])).toMatchObject({ status: "failed", model_id: null });
      // a malformed spec is refused before any worker starts
      expect(() => startEval({ model: file, tokenizer: "embedded", text, specs: ["W2A9"], createWorker: inProcessWorker })).toThrow(SpecError);
    } finally {
      await store.close();
    }
  }, 120_000);
});

describe("eval-client with a worker that stops answering", () => {
  /** A worker that takes the start and then says nothing (busy in a long synchronous step). */
  function silentWorker(log: string[]): EvalWorkerLike {
    const listeners: Record<string, Array<(e: never) => void>> = { message: [], error: [] };
    return {
      postMessage: (m) => log.push((m as { type: string }).type),
      addEventListener: ((type: string, cb: (e: never) => void) => listeners[type]!.push(cb)) as EvalWorkerLike["addEventListener"],
      terminate: () => log.push("terminate"),
    };
  }

  it("cancel() terminates it after the grace period and reports the run cancelled", async () => {
    const log: string[] = [];
    const h = startEval({ model: blob, tokenizer: "embedded", text: "a story", specs: ["FP32"], createWorker: () => silentWorker(log), cancelGraceMs: 20 });
    h.cancel();
    h.cancel(); // a second press changes nothing
    expect(await h.finished).toEqual({ status: "cancelled", results: [], error: null, runId: null });
    expect(log).toEqual(["start", "cancel", "terminate"]);
  });

  it("a worker that fails to load is a failed run in plain words", async () => {
    let fire: ((e: { message?: string }) => void) | null = null;
    const worker: EvalWorkerLike = {
      postMessage: () => undefined,
      addEventListener: ((type: string, cb: (e: { message?: string }) => void) => { if (type === "error") fire = cb; }) as EvalWorkerLike["addEventListener"],
      terminate: () => undefined,
    };
    const h = startEval({ model: blob, tokenizer: "embedded", text: "a story", specs: ["FP32"], createWorker: () => worker });
    fire!({});
    expect(await h.finished).toMatchObject({ status: "failed", error: "The evaluation worker stopped: it failed to load." });
  });
});
