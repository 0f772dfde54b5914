/** The embedded demo must stay what the library computes today (regenerate: npm run demo:data). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { demoFromModel } from "../../lib/demo/make.ts";
import { demoAnalysis } from "../../lib/demo/load.ts";
import { DemoSchema } from "../../lib/demo/schema.ts";
import { TABLE_SPECS } from "../../lib/analysis/analysis.ts";
import { fixture } from "../helpers/fixtures.ts";
import { WHATIF_BITS, WHATIF_GROUP_SIZES } from "../../lib/quant/whatif.ts";

/** Same code, same input: only summation-order changes in the kernels could move the last bits. */
const MAX_DEMO_REL_DRIFT = 1e-12;

const close = (a: number | null, b: number | null, what: string) => {
  if (a === null || b === null || !Number.isFinite(a) || !Number.isFinite(b)) expect(a, what).toBe(b);
  else expect(Math.abs(a - b), what).toBeLessThanOrEqual(MAX_DEMO_REL_DRIFT * Math.max(Math.abs(b), 1e-30));
};

const committedDemo = () => DemoSchema.parse(JSON.parse(readFileSync(join(process.cwd(), "data/demo/stories260K.json"), "utf8")));

it("data/demo/stories260K.json equals demoFromModel(stories260K.bin) and validates against DemoSchema", async (ctx) => {
  const path = await fixture("models/stories260K.bin");
  if (!path) return ctx.skip();
  const committed = committedDemo();
  const fresh = await demoFromModel(path, "stories260K");
  expect(fresh.model).toEqual(committed.model);
  expect(fresh.tensors.map((t) => t.name)).toEqual(committed.tensors.map((t) => t.name));
  fresh.tensors.forEach((t, i) => {
    const c = committed.tensors[i]!;
    for (const k of ["absmax", "mean", "std", "kurtosis", "min", "max", "outlier_fraction"] as const) close(t[k], c[k], `${t.name} ${k}`);
  });
  // channel profiles and histograms are max/counts: exact
  expect(fresh.channels).toEqual(committed.channels);
  expect(fresh.histograms).toEqual(committed.histograms);
  expect(Object.keys(fresh.quantErrors)).toEqual(Object.keys(committed.quantErrors));
  for (const [name, errs] of Object.entries(fresh.quantErrors)) {
    const c = committed.quantErrors[name]!;
    expect(errs.map((e) => e.spec), name).toEqual(c.map((e) => e.spec));
    errs.forEach((e, i) => { close(e.relMse, c[i]!.relMse, `${name} ${e.spec} relMse`); close(e.sqnrDb, c[i]!.sqnrDb, `${name} ${e.spec} sqnrDb`); });
  }
});

it("demoAnalysis(stories260K) carries channels, histograms and the RTN grid for the 35 linear weights", () => {
  const a = demoAnalysis(committedDemo());
  expect(a.id).toBe("demo");
  expect(a.tensors).toHaveLength(48);
  // every 2-D tensor has channels; 1-D norms do not
  const twoD = a.tensors.filter((t) => t.shape.length === 2).map((t) => t.name);
  expect(Object.keys(a.channels).sort()).toEqual(twoD.sort());
  expect(a.channels["model.layers.0.mlp.down_proj.weight"]!.input).toHaveLength(172);
  expect(a.channels["model.layers.0.mlp.down_proj.weight"]!.output).toHaveLength(64);
  for (const t of a.tensors) {
    const h = a.histograms[t.name]!;
    expect(h.counts.reduce((s, c) => s + c, 0), t.name).toBe(t.numel - t.nan_count - t.inf_count);
  }
  // 5 layers x (q, k, v, o, gate, up, down); embeddings and the tied lm_head are not quantized
  const names = Object.keys(a.quantErrors);
  expect(names).toHaveLength(5 * 7);
  expect(names.some((n) => n.includes("lm_head") || n.includes("embed"))).toBe(false);
  for (const errs of Object.values(a.quantErrors)) {
    expect(errs).toHaveLength(WHATIF_BITS.length * WHATIF_GROUP_SIZES.length);
    for (const s of TABLE_SPECS) expect(errs.some((e) => e.spec === s)).toBe(true);
    // more bits, less noise (same groups)
    const g128 = WHATIF_BITS.map((b) => errs.find((e) => e.spec === (b === 8 ? "W8" : `W${b}`))!.sqnrDb);
    for (let i = 1; i < g128.length; i++) expect(g128[i]!).toBeGreaterThan(g128[i - 1]!);
  }
});
