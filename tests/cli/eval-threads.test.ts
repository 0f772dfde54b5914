/** `quantlens eval --threads N`: the windows split across worker threads merge to the one-thread numbers exactly. */
import { describe, expect, it } from "vitest";
import { main } from "../../lib/cli/main.ts";
import { captureEffects } from "../helpers/capture.ts";
import { fixture } from "../helpers/fixtures.ts";

async function evalJson(args: string[]): Promise<string> {
  const fx = captureEffects();
  const code = await main(["eval", ...args, "--json"], fx);
  expect(code, fx.stderr()).toBe(0);
  return fx.stdout();
}

describe("quantlens eval --threads", () => {
  it("gives identical JSON with 1 and 2 threads (RTN, AWQ with its calibration, KV-only specs)", async (ctx) => {
    const [model, tok, text] = await Promise.all([fixture("models/stories260K.bin"), fixture("models/tok512.bin"), fixture("corpora/tinystories_sample.txt")]);
    if (!model || !tok || !text) return ctx.skip();
    const args = [model, "--tokenizer", tok, "--text", text, "--spec", "FP32,W4,W4-awq,W8A8,KV4", "--context", "64"];
    const one = await evalJson([...args, "--threads", "1"]);
    const two = await evalJson([...args, "--threads", "2"]);
    expect(two).toBe(one);
    const r = JSON.parse(one) as Record<string, { tokens: number; kl: number }>;
    expect(r.W4!.tokens).toBeGreaterThan(64 * 2); // more than two windows: both threads had work
    expect(r["W4-awq"]!.kl).toBeGreaterThan(0);
  }, 120_000);

  it("refuses --threads 0 with a usage error", async () => {
    const fx = captureEffects();
    expect(await main(["eval", "m.gguf", "--text", "t.txt", "--spec", "FP32", "--threads", "0"], fx)).not.toBe(0);
    expect(fx.stderr()).toMatch(/--threads must be an integer in \[1, 64\], got "0"/);
  });
});
