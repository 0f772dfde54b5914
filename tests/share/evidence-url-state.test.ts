/** Explorer filters and recommendation inputs in the URL: round trip, defaults omitted, bad values fall back. */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_EXPLORER, DEFAULT_RECOMMEND, EVIDENCE_PARAM, decodeExplorer, decodeRecommend, encodeEvidenceState, type ExplorerState, type RecommendState,
} from "../../lib/share/evidence-url-state.ts";

const explorer: ExplorerState = {
  filter: { family: "LLaMA2", sizeMinB: 6.5, sizeMaxB: 70, task: "multi_step_reasoning", ability: null, dataset: "gsm8k", target: "KV", bits: 4, method: "RTN" },
  measure: "relative",
};
const rec: RecommendState = { paramsB: 7, family: "Mistral", task: "long_context", context: 8192, memoryGb: 6, target: "kv" };

describe("evidence URL state", () => {
  it("decode(encode(state)) gives the state back, and other parameters are kept", () => {
    const p = encodeEvidenceState(new URLSearchParams("tab=evidence&model=demo"), explorer, rec);
    expect(p.get("tab")).toBe("evidence");
    expect(decodeExplorer(p)).toEqual(explorer);
    expect(decodeRecommend(p.toString())).toEqual(rec);
  });

  it("the defaults write no parameter at all", () => {
    expect(encodeEvidenceState(new URLSearchParams(), DEFAULT_EXPLORER, DEFAULT_RECOMMEND).toString()).toBe("");
    expect(decodeExplorer("")).toEqual(DEFAULT_EXPLORER);
    expect(decodeRecommend({})).toEqual(DEFAULT_RECOMMEND);
  });

  it("each bad value falls back to its default on its own", () => {
    const bad = new URLSearchParams({
      [EVIDENCE_PARAM.bits]: "99", [EVIDENCE_PARAM.family]: "<script>", [EVIDENCE_PARAM.target]: "Q", [EVIDENCE_PARAM.dataset]: "gsm8k",
      [EVIDENCE_PARAM.paramsB]: "-7", [EVIDENCE_PARAM.rTask]: "poetry", [EVIDENCE_PARAM.context]: "1.5", [EVIDENCE_PARAM.memoryGb]: "6", [EVIDENCE_PARAM.rTarget]: "everything",
    });
    expect(decodeExplorer(bad).filter).toEqual({ ...DEFAULT_EXPLORER.filter, dataset: "gsm8k" });
    expect(decodeRecommend(bad)).toEqual({ ...DEFAULT_RECOMMEND, memoryGb: 6 });
  });

  it("a Next searchParams object (arrays: first value) decodes like URLSearchParams", () => {
    expect(decodeRecommend({ [EVIDENCE_PARAM.paramsB]: ["13", "7"], [EVIDENCE_PARAM.rTarget]: "weights" })).toMatchObject({ paramsB: 13, target: "weights" });
  });
});
