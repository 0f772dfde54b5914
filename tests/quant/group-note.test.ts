/**
 * Issue 12, class 9: a group size that does not divide the rows (W4-g7 on rows of 8 and 12) is
 * accepted as DESIGN.md says (one group per row) and the result says so, in stats and eval alike.
 */
import { join } from "node:path";
import { expect, it } from "vitest";
import { main } from "../../lib/cli/main.ts";
import { groupNote } from "../../lib/quant/group-note.ts";
import { parseSpec } from "../../lib/quant/spec.ts";
import { captureEffects } from "../helpers/capture.ts";
import { tinyConfig, tinyLlama, tmpDir, writeModelDir } from "../helpers/make-safetensors.ts";

it("groupNote(spec, weights) names the rows kept as one group, and is null when g divides them", () => {
  const w = [{ name: "a", rowLength: 8 }, { name: "b", rowLength: 12 }];
  expect(groupNote(parseSpec("W4-g7"), w)).toMatch(/W4-g7: 2 of 2 weights .* not a multiple of 7 .*one group/);
  expect(groupNote(parseSpec("W4-g4"), w)).toBeNull();
  expect(groupNote(parseSpec("W4-g-1"), w)).toBeNull();
  expect(groupNote(parseSpec("W4-g8"), w)).toMatch(/1 of 2 .*\(e\.g\. b, 12\)/);
});

it("stats --spec W4-g7 says on stderr that rows are quantized as one group", async () => {
  const dir = join(tmpDir("ql-g7-"), "m");
  writeModelDir(dir, tinyLlama(), tinyConfig(true));
  const fx = captureEffects();
  expect(await main(["stats", dir, "--spec", "W4-g7", "--json", "--no-progress"], fx), fx.stderr()).toBe(0);
  expect(fx.stderr()).toMatch(/note: W4-g7: .* one group/);
  const ok = captureEffects();
  expect(await main(["stats", dir, "--spec", "W4-g4", "--json", "--no-progress"], ok)).toBe(0);
  expect(ok.stderr()).not.toMatch(/one group/);
});

it("eval --spec W4-g7 says the same on stderr before it runs", async () => {
  const dir = join(tmpDir("ql-g7e-"), "m");
  writeModelDir(dir, tinyLlama(), tinyConfig(true));
  const text = join(dir, "t.txt");
  (await import("node:fs")).writeFileSync(text, "hello world\n");
  const fx = captureEffects();
  await main(["eval", dir, "--text", text, "--spec", "W4-g7", "--no-progress"], fx); // no tokenizer: exits 1 after the note
  expect(fx.stderr()).toMatch(/note: W4-g7: .* one group/);
});
