/** A store with the evidence loaded once per test file and runtime, and a default deployment. */
import { loadEvidenceFromDir } from "../../lib/evidence/node.ts";
import { openNodeStore } from "../../lib/store/node.ts";
import type { Store } from "../../lib/store/store.ts";
import { openWasmNodeStore } from "../../lib/store/wasm-node.ts";
import type { RecommendInput } from "../../lib/recommend/types.ts";

/** Opens a store of `runtime` and loads data/evidence/ into it. */
export async function evidenceStore(runtime: "node" | "wasm" = "node"): Promise<Store> {
  const store = runtime === "node" ? await openNodeStore() : await openWasmNodeStore();
  await loadEvidenceFromDir(store);
  return store;
}

/** A deployment with no model file and no runs: 2048 tokens, every target. */
export function input(over: Partial<RecommendInput>): RecommendInput {
  return { paramsB: 7, family: null, task: null, context: 2048, memoryGb: null, target: "all", shape: null, measured: [], ...over };
}
