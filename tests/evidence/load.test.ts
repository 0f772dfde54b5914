/** The evidence loader, run against both store runtimes (the browser's duckdb-wasm and Node DuckDB). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LLAMA3_RESULTS, QLLM_FINDINGS, QLLM_RESULTS } from "../../lib/evidence/files.ts";
import { checkEvidence, loadEvidence, parseEvidence } from "../../lib/evidence/load.ts";
import { EVIDENCE_DIR, readEvidenceTexts } from "../../lib/evidence/node.ts";
import { llama3RowId } from "../../lib/evidence/rows.ts";
import { FormatError } from "../../lib/formats/errors.ts";
import { openNodeStore } from "../../lib/store/node.ts";
import type { Store } from "../../lib/store/store.ts";
import { openWasmNodeStore } from "../../lib/store/wasm-node.ts";

const texts = await readEvidenceTexts();

for (const [runtime, open] of [["node", openNodeStore], ["wasm", openWasmNodeStore]] as const) {
  describe(`loadEvidence(store, texts) on ${runtime}`, () => {
    let store: Store;
    beforeAll(async () => { store = await open(); await loadEvidence(store, texts); }, 60_000);
    afterAll(() => store.close());

    it("loadEvidence stores every row of the three files with unique row ids", async () => {
      expect(await checkEvidence(store)).toEqual({ qllm: 6729, llama3: 831, findings: 22, distinct_row_ids: 7560, results: 7560 });
    });

    it("loadEvidence a second time adds nothing", async () => {
      expect(await loadEvidence(store, texts)).toMatchObject({ results: 7560, findings: 22 });
    });

    it("a Qllm-Eval row keeps its published text, FP16 baseline and spec", async () => {
      expect(await store.queryRow("SELECT family, model, size_b, spec, w_bits, value, value_text, fp16_value, group_size, method FROM evidence_results WHERE row_id = 'qe_4c230694e3'"))
        .toEqual({ family: "OPT", model: "OPT-125M", size_b: 0.125, spec: "W4", w_bits: 4, value: 38.7, value_text: "38.70", fp16_value: 39.63, group_size: 128, method: "RTN" });
    });

    it("a LLaMA3 row gets its id, spec, FP16 baseline and fractional bits", async () => {
      const rec = { source: "https://arxiv.org/abs/2404.14047v3 Table 1", model: "LLaMA3-8B", method: "RTN", w_bits: "4", a_bits: "16", group_size: "128", finetune: "none", dataset: "wikitext2", metric: "ppl" };
      expect(await store.queryRow(`SELECT family, spec, value, fp16_value FROM evidence_results WHERE row_id = '${llama3RowId(rec)}'`))
        .toEqual({ family: "LLaMA3", spec: "W4", value: 8.5, fp16_value: 6.1 });
      expect(await store.queryRow("SELECT min(w_bits) AS w FROM evidence_results WHERE method = 'BiLLM'")).toEqual({ w: 1.1 });
    });

    it("AWQ rows are spelled with DESIGN.md's method suffix", async () => {
      const specs = await store.query<{ spec: string }>("SELECT DISTINCT spec FROM evidence_results WHERE method = 'AWQ' AND starts_with(row_id, 'qe_') ORDER BY spec");
      expect(specs.map((r) => r.spec)).toEqual(["W2-awq", "W3-awq", "W4-awq", "W8-awq"]);
    });
  });
}

describe("parseEvidence(texts) schema check", () => {
  const replaceLine = (text: string, n: number, f: (line: string) => string) => text.split("\n").map((l, i) => (i === n - 1 ? f(l) : l)).join("\n");

  it("data/evidence holds the README with the Qllm-Eval MIT licence and the LLaMA3 citation", () => {
    const readme = readFileSync(join(EVIDENCE_DIR, "README.md"), "utf8");
    expect(readme).toContain("Licence: MIT");
    expect(readme).toContain("arXiv:2402.18158");
    expect(readme).toContain("arXiv:2404.14047");
  });

  it("parseEvidence rejects a missing row, naming the file and the count", () => {
    const short = texts.qllmFindings.split("\n").slice(0, -2).join("\n") + "\n";
    expect(() => parseEvidence({ ...texts, qllmFindings: short })).toThrow(new FormatError(QLLM_FINDINGS.file, "row count", "21 rows, expected 22"));
  });

  it("parseEvidence rejects a non-numeric value, naming file, line and column", () => {
    const bad = replaceLine(texts.qllmResults, 2, (l) => l.replace(",39.63,39.63,", ",39.6x,39.63,"));
    expect(() => parseEvidence({ ...texts, qllmResults: bad })).toThrow(`${QLLM_RESULTS.file}: line 2 column value: "39.6x" is not a number`);
  });

  it("parseEvidence rejects a duplicated row_id", () => {
    const lines = texts.qllmResults.split("\n");
    const id = lines[1]!.split(",").at(-1)!;
    const dup = replaceLine(texts.qllmResults, 3, (l) => l.replace(/qe_[0-9a-f]{10}$/, id));
    expect(() => parseEvidence({ ...texts, qllmResults: dup })).toThrow(`row_id: "${id}" appears twice`);
  });

  it("parseEvidence rejects a changed header and an unknown llama3 dataset", () => {
    expect(() => parseEvidence({ ...texts, llama3Results: texts.llama3Results.replace("value_numeric", "value_num") })).toThrow(/llama3_quant_results\.csv: header/);
    const bad = replaceLine(texts.llama3Results, 2, (l) => l.replace(",wikitext2,", ",lambada,"));
    expect(() => parseEvidence({ ...texts, llama3Results: bad })).toThrow(`${LLAMA3_RESULTS.file}: line 2 column dataset`);
  });
});
