/** Report test inputs: the committed store contents of stories260K (tests/report/input), loaded into a Store. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Row, Store } from "../../lib/store/store.ts";
import type { TableName } from "../../lib/store/tables.ts";

export const INPUT_DIR = join(import.meta.dirname, "input");
export const OUTPUT_DIR = join(import.meta.dirname, "output");
/** The report date the golden outputs were written with. */
export const GOLDEN_DATE = new Date("2026-12-03T12:00:00Z");

/** Rows per table of one input file. */
export function readInput(name = "stories260K"): Record<TableName, Row[]> {
  return JSON.parse(readFileSync(join(INPUT_DIR, `${name}.json`), "utf8")) as Record<TableName, Row[]>;
}

/** Inserts every table of `input` into `store`; returns the store. */
export async function loadInput(store: Store, input: Record<string, Row[]> = readInput()): Promise<Store> {
  for (const [table, rows] of Object.entries(input)) if (rows.length) await store.insert(table as TableName, rows);
  return store;
}

/** The one model id of the stories260K input. */
export const STORIES_MODEL_ID = (readInput().models[0] as { model_id: string }).model_id;

/** Hostile strings a model file may hold (issue 11: they stay text in every renderer). */
export const HOSTILE_TENSOR = "<img src=x onerror=alert(1)>";
export const HOSTILE_MODEL = "<script>alert(2)</script>|`*_[x](javascript:alert(3))";
/** The tensor renamed: the one with the largest kurtosis, so it appears in tables, the heatmap and the histogram. */
const RENAMED = "model.layers.4.self_attn.k_proj.weight";

/** The stories260K input with one tensor and the model renamed to hostile strings. */
export function hostileInput(): Record<string, Row[]> {
  const input = readInput() as Record<string, Row[]>;
  for (const t of ["tensors", "tensor_stats", "channel_stats"]) for (const r of input[t]!) if (r.name === RENAMED) r.name = HOSTILE_TENSOR;
  for (const m of input.models!) m.name = HOSTILE_MODEL;
  return input;
}

