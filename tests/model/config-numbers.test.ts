/**
 * Issue 12, class 9: config values that make the forward pass produce NaN are refused with a
 * FormatError naming the field (a negative rope_theta gave NaN logits, printed as KL 0).
 */
import { join } from "node:path";
import { expect, it } from "vitest";
import { FormatError } from "../../lib/formats/errors.ts";
import { openModel } from "../../lib/formats/open.ts";
import { nodeRuntime } from "../../lib/formats/open-node.ts";
import { llamaConfig } from "../../lib/model/config.ts";
import { tinyConfig, tinyLlama, tmpDir, writeModelDir } from "../helpers/make-safetensors.ts";

it.each([["rope_theta", -10000], ["rope_theta", 0], ["rms_norm_eps", -1e-5]])("llamaConfig refuses %s = %d", async (key, value) => {
  const dir = join(tmpDir("ql-cfg-"), "m");
  writeModelDir(dir, tinyLlama(), { ...tinyConfig(true), [key]: value });
  const src = await openModel(dir, { runtime: nodeRuntime });
  try {
    const err = await llamaConfig(src).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(String(err.message)).toMatch(key === "rope_theta" ? /rope_theta/ : /norm_eps/);
  } finally {
    await src.close();
  }
});
