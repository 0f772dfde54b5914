/**
 * Issue 12, class 9: finite F64 values beyond the float32 range (1e300) are not counted as Inf:
 * the statistics, which run on float32 kernels, say so explicitly with a FormatError naming the
 * tensor and the value, instead of reporting inf_count 1 for a finite number.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { main } from "../../lib/cli/main.ts";
import { captureEffects } from "../helpers/capture.ts";
import { makeSafetensors, tmpDir } from "../helpers/make-safetensors.ts";

it("stats on an F64 tensor holding 1e300 reports the value as out of the float32 range, not as Inf", async () => {
  const file = join(tmpDir("ql-f64-"), "big.safetensors");
  writeFileSync(file, makeSafetensors({ "model.norm.weight": { dtype: "F64", shape: [4], values: [1, 1e300, -2, Infinity] } }));
  const fx = captureEffects();
  const code = await main(["stats", file, "--json", "--no-progress"], fx);
  expect(code).toBe(1);
  expect(fx.stderr()).toMatch(/model\.norm\.weight.*1e\+300 .*float32 range/);
});
