/** The embedded demo must stay what the library computes today (regenerate: npm run demo:data). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { demoFromModel } from "../../lib/demo/make.ts";
import { DemoSchema } from "../../lib/demo/schema.ts";
import { fixture } from "../helpers/fixtures.ts";

/** Same code, same input: only summation-order changes in the kernels could move the last bits. */
const MAX_DEMO_REL_DRIFT = 1e-12;

it("data/demo/stories260K.json equals demoFromModel(stories260K.bin) and validates against DemoSchema", async (ctx) => {
  const path = await fixture("models/stories260K.bin");
  if (!path) return ctx.skip();
  const committed = DemoSchema.parse(JSON.parse(readFileSync(join(process.cwd(), "data/demo/stories260K.json"), "utf8")));
  const fresh = await demoFromModel(path, "stories260K");
  expect(fresh.model).toEqual(committed.model);
  expect(fresh.tensors.map((t) => t.name)).toEqual(committed.tensors.map((t) => t.name));
  fresh.tensors.forEach((t, i) => {
    const c = committed.tensors[i]!;
    for (const k of ["absmax", "mean", "std", "kurtosis", "min", "max", "outlier_fraction"] as const) {
      const [a, b] = [t[k], c[k]];
      if (a === null || b === null) expect(a, `${t.name} ${k}`).toBe(b);
      else expect(Math.abs(a - b), `${t.name} ${k}`).toBeLessThanOrEqual(MAX_DEMO_REL_DRIFT * Math.max(Math.abs(b), 1e-30));
    }
  });
});
