/** lib/share/url-state.ts: ViewState <-> URL search params, defaults omitted, bad values fall back. */
import { describe, expect, it } from "vitest";
import { DEFAULT_VIEW, type ViewState } from "../../lib/analysis/types.ts";
import { decodeView, encodeView, MAX_PARAM_LENGTH, patchView, shareUrl } from "../../lib/share/url-state.ts";

const FULL: ViewState = {
  model: "hf:karpathy/stories260K@main",
  tab: "heatmaps",
  filters: { layer: 3, module: "down", text: "mlp & <b>x</b>" },
  sort: { id: "kurtosis", desc: true },
  stat: "absmax_over_std",
  channelModule: "gate",
  scale: "log",
  tensor: "model.layers.3.mlp.down_proj.weight",
  whatif: { bits: 3, groupSize: -1, method: "awq" },
};

describe("encodeView / decodeView", () => {
  it("encodeView(DEFAULT_VIEW) is empty and decodeView('') is DEFAULT_VIEW", () => {
    expect(encodeView(DEFAULT_VIEW).toString()).toBe("");
    expect(decodeView("")).toEqual(DEFAULT_VIEW);
  });

  it("decodeView(encodeView(view)) round-trips every field", () => {
    expect(decodeView(encodeView(FULL))).toEqual(FULL);
    const sortAsc = { ...FULL, sort: { id: "name", desc: false } };
    expect(decodeView(encodeView(sortAsc).toString())).toEqual(sortAsc);
  });

  it("encodeView writes only the fields that differ from the defaults", () => {
    const p = encodeView(patchView(DEFAULT_VIEW, { tab: "tensors", tensor: "lm_head.weight" }));
    expect([...p.keys()].sort()).toEqual(["tab", "tensor"]);
  });

  it("decodeView falls back to the default for each unknown or bad value and never throws", () => {
    const v = decodeView("tab=admin&layer=-1&module=<script>&bits=99&g=0&method=magic&scale=cubic&sort=DROP%20TABLE&stat=a.b&ch=lm_head&model=");
    expect(v).toEqual(DEFAULT_VIEW);
    expect(decodeView("layer=1e9&bits=4.5&g=abc")).toEqual(DEFAULT_VIEW);
    expect(decodeView(`tensor=${"x".repeat(MAX_PARAM_LENGTH + 1)}`).tensor).toBeNull();
    // good values next to bad ones survive
    expect(decodeView("tab=runs&layer=zz&q=attn").filters).toEqual({ layer: null, module: null, text: "attn" });
    expect(decodeView("tab=runs&layer=zz").tab).toBe("runs");
  });

  it("decodeView takes Next's searchParams object (first value of an array)", () => {
    expect(decodeView({ tab: ["tensors", "runs"], layer: "2", junk: undefined }).tab).toBe("tensors");
    expect(decodeView({ layer: "2" }).filters.layer).toBe(2);
  });

  it("encodeView keeps non-view parameters (hub, bundle) and drops stale view ones", () => {
    const keep = new URLSearchParams("hub=http://127.0.0.1:9/&tab=runs&bundle=/b.qlbundle");
    const p = encodeView(patchView(DEFAULT_VIEW, { tab: "tensors" }), keep);
    expect(p.get("hub")).toBe("http://127.0.0.1:9/");
    expect(p.get("bundle")).toBe("/b.qlbundle");
    expect(p.get("tab")).toBe("tensors");
  });
});

describe("patchView / shareUrl", () => {
  it("patchView merges filters and whatif one level deep", () => {
    const v = patchView(FULL, { filters: { ...FULL.filters, text: "attn" } });
    expect(v.filters).toEqual({ layer: 3, module: "down", text: "attn" });
    expect(patchView(FULL, { tab: "runs" }).whatif).toEqual(FULL.whatif);
  });

  it("shareUrl(base, view) replaces the view parameters of base and drops its hash", () => {
    const url = shareUrl("http://127.0.0.1:3000/?tab=runs&hub=http%3A%2F%2Fh#x", FULL);
    const u = new URL(url);
    expect(u.hash).toBe("");
    expect(u.searchParams.get("hub")).toBe("http://h");
    expect(decodeView(u.searchParams)).toEqual(FULL);
  });
});
