/** reportOfSource(store, source): the dashboard's report of the model on screen, from duckdb-wasm as the browser runs it. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderMarkdown } from "../../lib/report/render/markdown.ts";
import { openWasmNodeStore } from "../../lib/store/wasm-node.ts";
import type { Store } from "../../lib/store/store.ts";
import { reportOfSource } from "../../lib/web/report.ts";
import { GOLDEN_DATE, loadInput, readInput } from "../report/helpers.ts";

describe("reportOfSource(store, source)", () => {
  let store: Store;
  const source = (readInput().models[0] as { source: string }).source;
  beforeAll(async () => { store = await loadInput(await openWasmNodeStore()); });
  afterAll(() => store?.close());

  it("reports the latest statistics run of the model opened as `source`, with its eval runs", async () => {
    const doc = await reportOfSource(store, source, { now: GOLDEN_DATE });
    const statsRun = (readInput().runs as Array<{ run_id: string; kind: string }>).find((r) => r.kind === "stats")!.run_id;
    expect(doc!.header.statsRun).toBe(statsRun);
    expect(renderMarkdown(doc!).markdown).toContain("| `W4` | 3.840 | 1.3455 |");
  });

  it("returns null for a model with no stored statistics run (the embedded demo)", async () => {
    expect(await reportOfSource(store, "demo")).toBeNull();
  });
});
