import { describe, expect, it } from "vitest";
import { colourScale, extentOf, legendTicks, MIN_TICK_GAP, MISSING_FILL } from "../../lib/viz/scale.ts";

describe("colourScale(values, kind)", () => {
  it("maps the finite extent to [0, 1] linearly and clamps", () => {
    const s = colourScale([2, null, 4, NaN, 6], "linear");
    expect(s.domain).toEqual([2, 6]);
    expect([s.t(2), s.t(4), s.t(6), s.t(100)]).toEqual([0, 0.5, 1, 1]);
    expect(s.fill(null)).toBe(MISSING_FILL);
  });
  it("log uses the positive values only and puts non-positive ones at the low end", () => {
    const s = colourScale([-1, 0, 1, 1000], "log");
    expect(s.kind).toBe("log");
    expect(s.domain).toEqual([1, 1000]);
    expect(s.t(10)).toBeCloseTo(1 / 3, 12);
    expect(s.t(-5)).toBe(0);
  });
  it("log falls back to linear when no value is positive", () => {
    expect(colourScale([-3, -1], "log").kind).toBe("linear");
  });
  it("a constant input sits mid-ramp; an empty one gets [0, 1]", () => {
    expect(colourScale([5, 5], "linear").t(5)).toBe(0.5);
    expect(colourScale([], "linear").domain).toEqual([0, 1]);
    expect(extentOf([null, NaN])).toBeNull();
  });
});

describe("legendTicks(scale)", () => {
  it("labels both ends and nice values in between, in order", () => {
    const ticks = legendTicks(colourScale([0.3, 9.7], "linear"), 5, (v) => v.toFixed(1));
    expect(ticks[0]!.label).toBe("0.3");
    expect(ticks[ticks.length - 1]!.label).toBe("9.7");
    expect(ticks.map((t) => t.value)).toEqual([...ticks.map((t) => t.value)].sort((a, b) => a - b));
    expect(ticks.map((t) => t.value)).toContain(4);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]!.offset - ticks[i - 1]!.offset).toBeGreaterThanOrEqual(0.08);
  });
  it("on a log scale ticks at powers of ten", () => {
    const values = legendTicks(colourScale([1, 10000], "log")).map((t) => t.value);
    expect(values).toEqual([1, 10, 100, 1000, 10000]);
  });
});

describe("colourScale(values, kind, reverse)", () => {
  it("reverse keeps t() but draws low values dark (lower is worse)", () => {
    const up = colourScale([10, 40], "linear"), down = colourScale([10, 40], "linear", true);
    expect(down.t(10)).toBe(up.t(10));
    expect(down.fill(10)).toBe(up.fill(40));
    expect(down.fill(40)).toBe(up.fill(10));
  });
  it("legendTicks keeps labels at least MIN_TICK_GAP apart on a crowded log bar", () => {
    const ticks = legendTicks(colourScale([0.135, 0.886], "log"));
    expect(ticks[0]!.value).toBe(0.135);
    expect(ticks[ticks.length - 1]!.value).toBe(0.886);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]!.offset - ticks[i - 1]!.offset).toBeGreaterThanOrEqual(MIN_TICK_GAP);
  });
});
