import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../lib/cli/main.ts";
import { EXIT_BAD_INPUT, EXIT_USAGE } from "../../lib/cli/errors.ts";
import { captureEffects } from "../helpers/capture.ts";

describe("main(argv)", () => {
  it("prints the usage with every option and its default for --help and exits 0", async () => {
    const fx = captureEffects();
    expect(await main(["--help"], fx)).toBe(0);
    for (const opt of ["--json", "--db", "--tensor", "--workers", "--debug"]) expect(fx.stdout()).toContain(opt);
    expect(fx.stdout()).toContain("default");
  });

  it("exits with the usage code for an unknown command or flag", async () => {
    const fx = captureEffects();
    expect(await main(["frobnicate", "x.gguf"], fx)).toBe(EXIT_USAGE);
    expect(fx.stderr()).toContain('unknown command "frobnicate"');
    expect(await main(["stats", "x.gguf", "--bogus"], captureEffects())).toBe(EXIT_USAGE);
  });

  it("reports a missing file as one line naming it, without a stack", async () => {
    const fx = captureEffects();
    const code = await main(["stats", "/nonexistent/model.safetensors"], fx);
    expect(code).toBe(EXIT_BAD_INPUT);
    expect(fx.stderr()).toContain("/nonexistent/model.safetensors");
    expect(fx.stderr().trim().split("\n")).toHaveLength(1);
  });

  it("reports a malformed file as one FormatError line, and a stack only with --debug", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ql-cli-"));
    const bad = join(dir, "bad.gguf");
    writeFileSync(bad, Buffer.from("GGUF\x03\x00\x00\x00truncated"));
    const fx = captureEffects();
    expect(await main(["stats", bad], fx)).toBe(EXIT_BAD_INPUT);
    expect(fx.stderr()).toContain(bad);
    expect(fx.stderr().trim().split("\n")).toHaveLength(1);
    const dbg = captureEffects();
    expect(await main(["stats", bad, "--debug"], dbg)).toBe(EXIT_BAD_INPUT);
    expect(dbg.stderr().split("\n").length).toBeGreaterThan(2);
  });
});
