/**
 * lib/web/plain-errors.ts: errors of the real readers lead with a plain sentence and keep the
 * precise technical line (file, field, detail): a 3-byte safetensors file, a file that is no model,
 * a Hub repo that answers 404, a folder without a model, and a fetch the browser refused (no CORS).
 */
import { describe, expect, it } from "vitest";
import { FormatError } from "../../lib/formats/errors.ts";
import { openModel } from "../../lib/formats/open.ts";
import { HttpStatusError } from "../../lib/formats/source-http.ts";
import { plainModelError } from "../../lib/web/plain-errors.ts";
import { describeEvalError } from "../../lib/web/worker-protocol.ts";

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  try { await p; } catch (e) { return e; }
  throw new Error("expected a rejection");
}

describe("plain error messages", () => {
  it("a 3-byte safetensors file: the plain sentence, then the reader's line", async () => {
    const e = await errorOf(openModel(new File(["abc"], "tiny.safetensors")));
    expect(e).toBeInstanceOf(FormatError);
    const text = plainModelError(e);
    expect(text).toMatch(/^This is not a safetensors file \(its first 8 bytes should give the header length\)\. Could not read this model: tiny\.safetensors: header length: /);
    expect(describeEvalError(e)).toBe(text);
  });

  it("a file that is no model says which formats are read", async () => {
    const e = await errorOf(openModel(new File(["this is not a model at all"], "notes.gguf")));
    expect(plainModelError(e)).toMatch(/^This is not (a model file quantlens reads|a GGUF file)/);
    expect(plainModelError(e)).toContain("notes.gguf");
  });

  it("a Hub repo that does not exist is 'not found on the Hub: org/name', not a folder without a model", () => {
    expect(plainModelError(new HttpStatusError("hf:nobody/nothing/config.json", 404, "Not Found"))).toMatch(/^Not found on the Hub: nobody\/nothing\./);
    expect(plainModelError(new FormatError("hf:nobody/nothing", "folder", "holds no model.safetensors"))).toMatch(/^Not found on the Hub: nobody\/nothing /);
  });

  it("a refused fetch names cross-origin requests", () => {
    const text = plainModelError(new TypeError("Failed to fetch"));
    expect(text).toMatch(/does not allow cross-origin requests/);
    expect(text).toContain("Access-Control-Allow-Origin");
    expect(text).toContain("(Failed to fetch)");
  });
});
