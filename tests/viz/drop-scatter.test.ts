/** dropScatterGeometry: dots at (footprint, drop), the budget line, specs without a figure left out. */
import { describe, expect, it } from "vitest";
import { BUCKET_FILL, SCATTER_MARGIN, dropScatterGeometry, type DropSpec } from "../../lib/viz/drop-scatter.ts";

const specs: DropSpec[] = [
  { spec: "W8", total_gb: 7.5, drop_pct: 0.3, bucket: "recommended", fits: false },
  { spec: "W4", total_gb: 4, drop_pct: 3, bucket: "acceptable", fits: true },
  { spec: "W2", total_gb: 2.2, drop_pct: 70, bucket: "avoid", fits: true },
  { spec: "W4KV4", total_gb: 3.5, drop_pct: null, bucket: "acceptable", fits: true },
];

describe("dropScatterGeometry(specs, budgetGb, width, height)", () => {
  const g = dropScatterGeometry(specs, 6, 400, 240);

  it("draws one dot per spec with a figure, coloured by bucket", () => {
    expect(g.dots.map((d) => d.spec)).toEqual(["W8", "W4", "W2"]);
    expect(g.dots[2]!.fill).toBe(BUCKET_FILL.avoid);
  });

  it("places larger footprints right and larger drops higher, the budget between W4 and W8", () => {
    const [w8, w4, w2] = g.dots;
    expect(w2!.cx).toBeLessThan(w4!.cx);
    expect(w4!.cx).toBeLessThan(w8!.cx);
    expect(w2!.cy).toBeLessThan(w4!.cy);
    expect(g.budgetX!).toBeGreaterThan(w4!.cx);
    expect(g.budgetX!).toBeLessThan(w8!.cx);
    expect(g.xTicks[0]!.x).toBeCloseTo(SCATTER_MARGIN.left, 9);
  });

  it("without a budget there is no budget line", () => {
    expect(dropScatterGeometry(specs, null, 400, 240).budgetX).toBeNull();
  });
});
