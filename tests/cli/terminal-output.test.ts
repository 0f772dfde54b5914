/**
 * Issue 12, class 10: strings from files (tensor names, the architecture) reach the terminal
 * with control characters escaped: an ANSI escape, a C1 CSI or a newline in a crafted name is
 * printed as a visible escape, in tables, JSON and error lines alike.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../lib/cli/main.ts";
import { escapeControl } from "../../lib/cli/escape.ts";
import { captureEffects } from "../helpers/capture.ts";
import { makeSafetensors, tmpDir } from "../helpers/make-safetensors.ts";

const EVIL = "model.norm\u001b[31mRED\u001b[0m\nFAKE LINE\u009b2J\u0007.weight";
/** Raw controls that must not reach the terminal (C0 but \n, DEL, C1). */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe("control characters from files are escaped", () => {
  it("escapeControl(s) makes every C0/C1 control and DEL visible and leaves other text alone", () => {
    expect(escapeControl("a\u001b[0mb\nc\u009b\u007fé")).toBe("a\\x1b[0mb\\nc\\x9b\\x7fé");
    expect(escapeControl("model.layers.0.mlp.up_proj.weight")).toBe("model.layers.0.mlp.up_proj.weight");
  });

  it("stats, stats --json, inspect and an error line print a crafted tensor name escaped", async () => {
    const dir = tmpDir("ql-term-");
    const file = join(dir, "evil.safetensors");
    writeFileSync(file, makeSafetensors({ [EVIL]: { dtype: "F32", shape: [4], values: [1, 2, 3, 4] } }));
    for (const args of [["stats", file], ["stats", file, "--json"], ["inspect", file], ["inspect", file, "--json"]]) {
      const fx = captureEffects();
      expect(await main([...args, "--no-progress"], fx), fx.stderr()).toBe(0);
      expect(fx.stdout(), args.join(" ")).not.toMatch(RAW_CONTROL);
      expect(fx.stdout()).not.toContain("\nFAKE LINE");
      expect(fx.stdout()).toMatch(/(x1b|u001b)\[31mRED/); // \x1b in tables, \u001b in JSON
    }
    const bad = join(dir, "bad.safetensors");
    writeFileSync(bad, makeSafetensors({ [EVIL]: { dtype: "F32", shape: [4], values: [1, 2, 3, 4] } }, {
      header: (h) => { (h[EVIL] as { dtype: string }).dtype = "X\u001b[2J"; },
    }));
    const fx = captureEffects();
    expect(await main(["stats", bad], fx)).toBe(1);
    expect(fx.stderr()).not.toMatch(RAW_CONTROL);
    expect(fx.stderr().trim().split("\n")).toHaveLength(1);
  });
});
