/**
 * Issue 12, class 5: a model folder stays inside itself. A symlinked shard pointing outside the
 * folder is refused (it was read and its statistics printed); a .gguf that is a symlink inside
 * the folder, and the Hugging Face cache layout (snapshots/<rev>/file -> ../../blobs/<hash>),
 * are read; a FIFO is refused at once instead of blocking the open.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FormatError } from "../../lib/formats/errors.ts";
import { openModel } from "../../lib/formats/open.ts";
import { nodeRuntime } from "../../lib/formats/open-node.ts";
import { buildGguf } from "../helpers/gguf-writer.ts";
import { makeSafetensors, tinyConfig, tinyLlama, tmpDir, writeModelDir } from "../helpers/make-safetensors.ts";

const open = (p: string) => openModel(p, { runtime: nodeRuntime });
const tinyGguf = () => buildGguf({ tensors: [{ name: "token_embd.weight", ne: [4, 2], type: 0, data: new Uint8Array(32) }] });

describe("local folders and links", () => {
  it("refuses a shard that is a symlink to a file outside the opened folder", async () => {
    const root = tmpDir("ql-links-");
    const dir = join(root, "model");
    writeModelDir(dir, tinyLlama(), tinyConfig(true), 2);
    const shard = join(dir, "model-00002-of-00002.safetensors");
    mkdirSync(join(root, "elsewhere"));
    renameSync(shard, join(root, "elsewhere", "secret.safetensors"));
    symlinkSync(join(root, "elsewhere", "secret.safetensors"), shard);
    const err = await open(dir).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(String(err.message)).toMatch(/outside the folder/);
  });

  it("reads a folder whose .gguf is a symlink to a file inside the folder", async () => {
    const dir = tmpDir("ql-links-");
    mkdirSync(join(dir, "blobs"));
    writeFileSync(join(dir, "blobs", "abc123"), tinyGguf());
    symlinkSync("blobs/abc123", join(dir, "model.gguf"));
    const src = await open(dir);
    expect(src.format).toBe("gguf");
    await src.close();
  });

  it("reads a Hugging Face cache snapshot whose files link to ../../blobs", async () => {
    const repo = join(tmpDir("ql-hfcache-"), "models--org--tiny");
    const snap = join(repo, "snapshots", "0123abcd");
    mkdirSync(join(repo, "blobs"), { recursive: true });
    mkdirSync(snap, { recursive: true });
    writeFileSync(join(repo, "blobs", "cfg"), JSON.stringify(tinyConfig(true)));
    writeFileSync(join(repo, "blobs", "weights"), makeSafetensors(tinyLlama()));
    symlinkSync("../../blobs/cfg", join(snap, "config.json"));
    symlinkSync("../../blobs/weights", join(snap, "model.safetensors"));
    const src = await open(snap);
    expect(src.config.dim).toBe(8);
    await src.close();
  });

  it("refuses a FIFO at once, as a file and inside a folder", { timeout: 10_000 }, async () => {
    const dir = tmpDir("ql-fifo-");
    execFileSync("mkfifo", [join(dir, "model.gguf")]);
    const t0 = Date.now();
    const direct = await open(join(dir, "model.gguf")).catch((e) => e);
    expect(direct).toBeInstanceOf(FormatError);
    expect(String(direct.message)).toMatch(/not a regular file/);
    const inFolder = await open(dir).catch((e) => e);
    expect(inFolder).toBeInstanceOf(FormatError);
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});
