/** Report links: run, compared runs, task, context and budget in the URL; round trip, other parameters kept, bad values fall back. */
import { describe, expect, it } from "vitest";
import { decodeRecommend } from "../../lib/share/evidence-url-state.ts";
import { DEFAULT_REPORT_LINK, decodeReportLink, encodeReportLink, type ReportLinkState } from "../../lib/share/report-url-state.ts";
import { decodeView, encodeView, shareUrl } from "../../lib/share/url-state.ts";

const RUN = "3f2a9c1e-8b7d-4e6f-9a0b-1c2d3e4f5a6b";
const state: ReportLinkState = { run: RUN, compare: [RUN, "run-b.2"], task: "dialogue", context: 2048, memoryGb: 0.5 };

describe("decodeReportLink / encodeReportLink", () => {
  it("decodeReportLink(encodeReportLink(state)) gives the state back and keeps the view's parameters", () => {
    const p = encodeReportLink(new URLSearchParams("tab=report&model=local%3Ax.gguf&hub=http%3A%2F%2Fh"), state);
    expect(p.toString()).toBe(`tab=report&model=local%3Ax.gguf&hub=http%3A%2F%2Fh&run=${RUN}&cmp=${RUN}%2Crun-b.2&r.task=dialogue&r.ctx=2048&r.mem=0.5`);
    expect(decodeReportLink(p)).toEqual(state);
    expect(decodeView(p)).toMatchObject({ tab: "report", model: "local:x.gguf" });
  });

  it("survives the dashboard's own link: shareUrl(encodeView) carries the report's parameters over", () => {
    const href = `http://127.0.0.1:3000/?${encodeReportLink(new URLSearchParams(), state)}`;
    const link = shareUrl(href, { ...decodeView(""), tab: "report" });
    expect(decodeReportLink(new URL(link).searchParams)).toEqual(state);
    expect(encodeView(decodeView(new URL(link).searchParams), new URL(link).searchParams).get("run")).toBe(RUN);
  });

  it("the task, context and budget are the recommendation view's r.* parameters (one answer in both views)", () => {
    expect(decodeRecommend(encodeReportLink(new URLSearchParams(), state))).toMatchObject({ task: "dialogue", context: 2048, memoryGb: 0.5 });
  });

  it("null values write no parameter and remove the old ones", () => {
    expect(encodeReportLink(new URLSearchParams(`run=${RUN}&r.task=dialogue&tab=report`), DEFAULT_REPORT_LINK).toString()).toBe("tab=report");
    expect(decodeReportLink("")).toEqual(DEFAULT_REPORT_LINK);
  });

  it("each bad value falls back to null on its own", () => {
    const bad = new URLSearchParams({ run: "<img src=x onerror=alert(1)>", cmp: `${RUN}`, "r.task": "poetry", "r.ctx": "-1", "r.mem": "8" });
    expect(decodeReportLink(bad)).toEqual({ ...DEFAULT_REPORT_LINK, memoryGb: 8 });
    expect(decodeReportLink({ cmp: `${RUN},a,b` }).compare).toBeNull();
    expect(decodeReportLink({ run: "x".repeat(129) }).run).toBeNull();
  });

  it("encodeReportLink refuses to write a run id it would not read back", () => {
    expect(encodeReportLink(new URLSearchParams(), { ...DEFAULT_REPORT_LINK, run: "a b", compare: ["a", "<b>"] }).toString()).toBe("");
  });
});
