/**
 * Writes tests/report/input/stories260K.json: the store rows (models, tensors, runs, tensor_stats,
 * channel_stats, run_results) of one statistics run and one eval run of stories260K, made by our
 * own CLI. `npx tsx scripts/report-fixture.ts [db]` (default: runs stats and eval into a temp db).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openNodeStore } from "../lib/store/node.ts";
import type { TableName } from "../lib/store/tables.ts";

const TABLES: TableName[] = ["models", "tensors", "runs", "tensor_stats", "channel_stats", "run_results"];
const MODEL = "../shared/models/stories260K.bin";

let db = process.argv[2];
if (!db) {
  db = join(mkdtempSync(join(tmpdir(), "ql-report-")), "r.duckdb");
  const cli = (args: string[]) => execFileSync(process.execPath, ["bin/quantlens.mjs", ...args, "--db", db!, "--no-progress"], { stdio: ["ignore", "ignore", "inherit"] });
  cli(["stats", MODEL]);
  cli(["eval", MODEL, "--tokenizer", "../shared/models/tok512.bin", "--text", "../shared/corpora/tinystories_valid_excerpt.txt", "--spec", "FP32,W8,W4,W3,W8A8,W4A8,KV8,KV4"]);
}
const store = await openNodeStore(db);
const out: Record<string, unknown[]> = {};
for (const t of TABLES) out[t] = await store.query(`SELECT * FROM ${t} ORDER BY ALL`);
await store.close();
writeFileSync("tests/report/input/stories260K.json", JSON.stringify(out, null, 0).replace(/\},\{/g, "},\n{") + "\n");
console.error(`wrote tests/report/input/stories260K.json from ${db}`);
