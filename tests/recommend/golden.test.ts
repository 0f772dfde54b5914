/**
 * Golden output: `quantlens recommend stories260K.bin --db <store with its eval run> --task dialogue
 * --predict --json`, compared with tests/recommend/golden/stories260K.json (framework-style snapshot:
 * a mismatch writes stories260K-changed.json beside it; UPDATE_GOLDEN=1 rewrites the golden file).
 * Run ids (random UUIDs) and the fixture's folder are replaced by placeholders.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../lib/cli/main.ts";
import { captureEffects } from "../helpers/capture.ts";
import { fixture } from "../helpers/fixtures.ts";

const GOLDEN = new URL("./golden/stories260K.json", import.meta.url);
const CHANGED = new URL("./golden/stories260K-changed.json", import.meta.url);
/** stories of the validation excerpt the eval run reads (about 800 tokens: seconds per spec) */
const STORIES = 4;
const SPECS = "FP32,W8,W4,W3,W2,W8A8,W4A8,KV8,KV4";
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

async function cli(args: string[]): Promise<string> {
  const fx = captureEffects();
  expect(await main(args, fx), fx.stderr()).toBe(0);
  return fx.stdout();
}

describe("golden recommendation", () => {
  it("recommend stories260K.bin with its eval run in the store matches golden/stories260K.json", async (ctx) => {
    const [bin, tok, text] = await Promise.all(["models/stories260K.bin", "models/tok512.bin", "corpora/tinystories_valid_excerpt.txt"].map((p) => fixture(p)));
    if (!bin || !tok || !text) return ctx.skip();
    const dir = mkdtempSync(join(tmpdir(), "ql-golden-"));
    try {
      const short = join(dir, "stories.txt"), db = join(dir, "results.duckdb");
      writeFileSync(short, readFileSync(text, "utf8").split("<|endoftext|>").slice(0, STORIES).join("<|endoftext|>"));
      await cli(["eval", bin, "--tokenizer", tok, "--text", short, "--spec", SPECS, "--db", db, "--json", "--no-progress"]);
      const out = await cli(["recommend", bin, "--db", db, "--task", "dialogue", "--predict", "--json"]);
      const normalized = out.replace(UUID, "<run>").split(bin).join(`<fixtures>/${basename(bin)}`);
      const r = JSON.parse(normalized);
      // the measured runs are the ones just stored; the table's inputs are the file's
      expect([...r.inputs.measured_specs].sort()).toEqual(SPECS.split(",").sort());
      if (process.env.UPDATE_GOLDEN === "1") writeFileSync(GOLDEN, normalized);
      expect(existsSync(GOLDEN), "no golden file: run with UPDATE_GOLDEN=1 and review it").toBe(true);
      const golden = readFileSync(GOLDEN, "utf8");
      if (golden !== normalized) writeFileSync(CHANGED, normalized);
      else if (existsSync(CHANGED)) rmSync(CHANGED);
      expect(JSON.parse(normalized)).toEqual(JSON.parse(golden));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
