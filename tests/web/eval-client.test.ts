/**
 * lib/web/eval-client.ts: the evaluation's `finished` settles on the worker's last message, even
 * when the store is slow (a CHECKPOINT held for seconds, as OPFS does on a busy machine), so the
 * panel is idle at once; `recorded` settles later with every row of the run in the store.
 * The worker is a scripted stand-in for the Web Worker transport (EvalWorkerLike); the store is
 * the real duckdb-wasm store (Node binding) with its CHECKPOINT delayed.
 */
import { describe, expect, it } from "vitest";
import { startEval, type EvalWorkerLike } from "../../lib/web/eval-client.ts";
import { fetchRunResults } from "../../lib/store/eval-queries.ts";
import type { Store } from "../../lib/store/store.ts";
import { openWasmNodeStore } from "../../lib/store/wasm-node.ts";

/** how long the slowed store holds each CHECKPOINT */
const SLOW_CHECKPOINT_MS = 1500;
/** `finished` may lag the worker's last message by this much (message hops, no store wait) */
const IDLE_BOUND_MS = 200;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const result = (ppl: number) => ({ ppl, mean_nll: Math.log(ppl), kl: 0.01, top1_agreement: 0.9, tokens: 120 });

/** Posts a two-spec run's messages (model, prepared, FP32, W8, done) once it gets `start`; stamps the last. */
function scriptedWorker(stamps: { last?: number }): EvalWorkerLike {
  const listeners: Array<(e: { data: unknown }) => void> = [];
  const send = (data: unknown) => listeners.forEach((l) => l({ data }));
  return {
    addEventListener(type: string, cb: (e: never) => void) { if (type === "message") listeners.push(cb as (e: { data: unknown }) => void); },
    postMessage(m: unknown) {
      if ((m as { type?: string }).type !== "start") return;
      void (async () => {
        await sleep(5);
        send({ type: "model", model: { name: "tiny", format: "gguf", config: { architecture: "llama" }, tensors: [], modelId: "m-tiny" } });
        send({ type: "prepared", documents: 2, tokens: 120, tokenizer: "gguf" });
        send({ type: "spec", spec: "FP32", canonical: "FP32", index: 0, result: result(5), elapsedMs: 10 });
        await sleep(5);
        send({ type: "spec", spec: "W8", canonical: "W8", index: 1, result: result(5.1), elapsedMs: 20 });
        stamps.last = performance.now();
        send({ type: "done", elapsedMs: 20 });
      })();
    },
    terminate() {},
  } as EvalWorkerLike;
}

/** The store with every CHECKPOINT held for SLOW_CHECKPOINT_MS. */
function slowed(store: Store): Store {
  return { ...store, exec: async (s: string) => { if (/CHECKPOINT/i.test(s)) await sleep(SLOW_CHECKPOINT_MS); return store.exec(s); } };
}

describe("startEval with a slow store", () => {
  it("settles `finished` on the worker's last message and `recorded` once the rows are stored", async () => {
    const store = await openWasmNodeStore();
    try {
      const stamps: { last?: number } = {};
      const h = startEval({
        model: "hf:org/tiny", tokenizer: "embedded", text: "one\n<|endoftext|>\ntwo", specs: ["W8", "FP32"],
        store: slowed(store), createWorker: () => scriptedWorker(stamps),
      });
      const outcome = await h.finished;
      const idleAfter = performance.now() - stamps.last!;
      expect(outcome.status).toBe("done");
      expect(outcome.results.map((r) => r.spec)).toEqual(["FP32", "W8"]);
      expect(idleAfter).toBeLessThan(IDLE_BOUND_MS);
      const runId = await h.recorded;
      expect(runId).not.toBeNull();
      const rows = await fetchRunResults(store, runId!);
      expect(new Set(rows.map((r) => r.spec))).toEqual(new Set(["FP32", "W8"]));
      expect(rows).toHaveLength(8); // 4 metrics x 2 specs
      const run = await store.queryRow<{ status: string }>("SELECT status FROM runs WHERE run_id = ?", [runId]);
      expect(run?.status).toBe("done");
    } finally {
      await store.close();
    }
  }, 60_000);
});
