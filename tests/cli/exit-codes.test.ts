/**
 * Issue 12, class 8: bad input exits 1 and bad options exit 2, each with one line naming the
 * file or option, never "internal error" (exit 3) or a stack; a run that fails before its first
 * result is marked failed in the store.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { EXIT_BAD_INPUT, EXIT_USAGE } from "../../lib/cli/errors.ts";
import { main } from "../../lib/cli/main.ts";
import { openNodeStore } from "../../lib/store/node.ts";
import { captureEffects } from "../helpers/capture.ts";
import { fixture } from "../helpers/fixtures.ts";
import { tinyConfig, tinyLlama, tmpDir, writeModelDir } from "../helpers/make-safetensors.ts";

let dir: string;
let gguf: string | null;
let folder: string;
let text: string;
beforeAll(async () => {
  dir = tmpDir("ql-exit-");
  gguf = await fixture("models/stories260K.gguf");
  folder = join(dir, "tiny");
  writeModelDir(folder, tinyLlama(), tinyConfig(true));
  text = join(dir, "text.txt");
  writeFileSync(text, "Once upon a time there was a cat.\n");
});

/** Runs the CLI; returns its exit code and stderr, asserting the one-line rule. */
async function cli(args: string[]): Promise<{ code: number; err: string }> {
  const fx = captureEffects();
  const code = await main([...args, "--no-progress"], fx);
  const err = fx.stderr();
  if (code !== 0) expect(err.trim().split("\n"), err).toHaveLength(1);
  expect(err).not.toMatch(/internal error/);
  return { code, err };
}

describe("exit codes and one-line messages", () => {
  it("an empty evaluation text exits 1 naming the file", async (ctx) => {
    if (!gguf) return ctx.skip();
    const empty = join(dir, "empty.txt");
    writeFileSync(empty, "\n\n<|endoftext|>\n");
    const { code, err } = await cli(["eval", gguf, "--text", empty, "--spec", "FP32"]);
    expect(code).toBe(EXIT_BAD_INPUT);
    expect(err).toContain(empty);
  });

  it("--text on a directory exits 1 naming it", async (ctx) => {
    if (!gguf) return ctx.skip();
    const { code, err } = await cli(["eval", gguf, "--text", dir, "--spec", "FP32"]);
    expect(code).toBe(EXIT_BAD_INPUT);
    expect(err).toContain(dir);
  });

  it("an empty --calib file exits 1 saying it is empty", async (ctx) => {
    if (!gguf) return ctx.skip();
    const empty = join(dir, "calib-empty.txt");
    writeFileSync(empty, "");
    const { code, err } = await cli(["eval", gguf, "--text", text, "--spec", "W4-awq", "--calib", empty]);
    expect(code).toBe(EXIT_BAD_INPUT);
    expect(err).toMatch(/--calib: .*calib-empty\.txt.* empty/);
  });

  it("a tokenizer of the wrong vocabulary size exits 1 naming both sizes", async (ctx) => {
    if (!gguf) return ctx.skip();
    const tok = join(dir, "tokenizer.json");
    const vocab = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`t${i}`, i])); // the model has 512
    writeFileSync(tok, JSON.stringify({ model: { type: "BPE", vocab, merges: [] }, added_tokens: [] }));
    const { code, err } = await cli(["eval", gguf, "--text", text, "--spec", "FP32", "--tokenizer", tok]);
    expect(code).toBe(EXIT_BAD_INPUT);
    expect(err).toMatch(/tokenizer\.json/);
  });

  it("a folder without a tokenizer exits 1", async () => {
    const { code, err } = await cli(["eval", folder, "--text", text, "--spec", "FP32"]);
    expect(code).toBe(EXIT_BAD_INPUT);
    expect(err).toContain("--tokenizer");
  });

  it("a line longer than the reader holds exits 1 instead of a RangeError", { timeout: 60_000 }, async (ctx) => {
    if (!gguf) return ctx.skip();
    const long = join(dir, "long.txt");
    writeFileSync(long, "a".repeat(17 * 1024 * 1024));
    const { code, err } = await cli(["eval", gguf, "--text", long, "--spec", "FP32"]);
    expect(code).toBe(EXIT_BAD_INPUT);
    expect(err).toMatch(/long\.txt.*line/);
  });

  it("--db on a file that is not DuckDB (a SQLite file) exits 1 and leaves the file as it was", { timeout: 60_000 }, async () => {
    const db = join(dir, "notes.db");
    const bytes = Buffer.concat([Buffer.from("SQLite format 3\0"), Buffer.alloc(4080, 7)]);
    writeFileSync(db, bytes);
    const t0 = Date.now();
    const { code, err } = await cli(["stats", folder, "--db", db]);
    expect(code).toBe(EXIT_BAD_INPUT);
    expect(err).toMatch(/notes\.db.*not a DuckDB/);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(readFileSync(db).equals(bytes)).toBe(true);
  });

  it("a DuckDB file locked by another process exits 1: in use by another quantlens process", { timeout: 60_000 }, async () => {
    const db = join(dir, "results.duckdb");
    const holder = spawn(process.execPath, ["-e", `
      const { DuckDBInstance } = require("@duckdb/node-api");
      DuckDBInstance.create(${JSON.stringify(db)}).then(() => { process.stdout.write("ready\\n"); setTimeout(() => {}, 60000); });
    `], { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] });
    try {
      await new Promise<void>((res, rej) => { holder.stdout!.on("data", (d) => String(d).includes("ready") && res()); holder.on("exit", rej); });
      const { code, err } = await cli(["stats", folder, "--db", db]);
      expect(code).toBe(EXIT_BAD_INPUT);
      expect(err).toContain("results.duckdb is in use by another quantlens process");
    } finally {
      holder.kill();
    }
  });

  it.each(["http://", "http://[::1", "https://huggingface.co/a/b/resolve/main/%zz.gguf"])("an invalid URL (%s) exits 1 with one line", async (url) => {
    expect((await cli(["stats", url])).code).toBe(EXIT_BAD_INPUT);
  });

  it("bad options exit 2 naming the option", async () => {
    expect((await cli(["stats", folder, "--workers", "0"])).code).toBe(EXIT_USAGE);
    const spec = await cli(["eval", folder, "--text", text, "--spec", "W4,,W8"]);
    expect(spec.code).toBe(EXIT_USAGE);
    expect(spec.err).toContain("--spec");
    const engine = await cli(["eval", folder, "--text", text, "--spec", "FP32", "--engine", "bogus"]);
    expect(engine.code).toBe(EXIT_USAGE);
  });

  it("a run that fails before its first result is marked failed, not left running", { timeout: 60_000 }, async () => {
    const db = join(dir, "fail.duckdb");
    const r = await cli(["eval", folder, "--text", text, "--spec", "FP32", "--db", db, "--engine", "bogus"]);
    expect(r.code).toBe(EXIT_USAGE);
    const r2 = await cli(["eval", folder, "--text", text, "--spec", "FP32", "--db", db]); // no tokenizer
    expect(r2.code).toBe(EXIT_BAD_INPUT);
    const store = await openNodeStore(db);
    try {
      const runs = await store.query<{ status: string }>("SELECT status FROM runs");
      expect(runs.every((x) => x.status !== "running")).toBe(true);
    } finally {
      await store.close();
    }
  });
});
