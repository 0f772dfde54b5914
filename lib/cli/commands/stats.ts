/** `quantlens stats <model>`: per-tensor statistics as a table or JSON, optionally stored in DuckDB. */
import { withRecorder } from "../with-recorder.ts";
import type { CliOptions } from "../main.ts";
import type { Effects } from "../effects.ts";
import { CliError } from "../errors.ts";
import { globFilter } from "../glob.ts";
import { ProgressBar } from "../progress.ts";
import { fmt, renderTable } from "../table.ts";
import { openModel } from "../../formats/open.ts";
import { nodeRuntime } from "../../formats/open-node.ts";
import { modelStats } from "../../stats/engine/model-stats.ts";
import type { TensorStats } from "../../stats/types.ts";
import { recordStats } from "../record.ts";
import { tensorRowFromStats } from "../../analysis/analysis.ts";
import { parseSpecList, type QuantSpec } from "../../quant/spec.ts";
import { tensorQuantErrors } from "../../quant/tensor-error.ts";
import type { StatsPool } from "../../stats/engine/pool.ts";
import { jsonForTerminal } from "../escape.ts";
import { groupNote } from "../../quant/group-note.ts";
import { escapeControl } from "../escape.ts";

/** `--workers n` > 1 spreads each tensor's chunks over n worker threads. */
async function openPool(workers: number): Promise<StatsPool | undefined> {
  if (workers <= 1) return undefined;
  const { createNodeStatsPool } = await import("../../stats/engine/pool-node.ts");
  return createNodeStatsPool(workers);
}

/** Computes statistics for every selected tensor, streaming, one tensor at a time. */
export async function run(opts: CliOptions, fx: Effects): Promise<void> {
  const source = await openModel(opts.model, { runtime: nodeRuntime });
  try {
    const keep = globFilter(opts.tensor);
    const tensors = source.tensors.filter((t) => keep(t.name));
    if (tensors.length === 0) throw new CliError(`${opts.model}: no tensor matches ${opts.tensor.join(", ")}`);
    const totalBytes = tensors.reduce((s, t) => s + t.byteLength, 0);
    const bar = new ProgressBar(fx, totalBytes, tensors.length, opts.progress && fx.isTTY);
    const specs = opts.spec ? weightSpecs(opts.spec) : [];
    const rows = tensors.filter((t) => t.shape.length === 2).map((t) => ({ name: t.name, rowLength: t.layout === "in_out" ? t.shape[0]! : t.shape[1]! }));
    for (const s of specs) { const note = groupNote(s, rows); if (note) fx.err(`quantlens: note: ${escapeControl(note)}\n`); }
    const pool = await openPool(opts.workers);
    // the run starts last, right before the try that finishes it: nothing fails in between
    const recorder = opts.db ? await recordStats(opts.db, source, opts.model, fx.err).catch(async (e) => { await pool?.close(); throw e; }) : null;
    const results: TensorStats[] = [];
    const errors = new Map<string, Record<string, { rel_mse: number | null; sqnr_db: number | null }>>();
    try {
      await withRecorder(recorder, async () => {
        const onProgress = (bytes: number, done: number, name: string) => bar.update(bytes, done, name);
        for await (const stats of modelStats(source, tensors, { onProgress, pool })) {
          results.push(stats);
          if (specs.length) {
            const t = tensors.find((x) => x.name === stats.name)!;
            const e = await tensorQuantErrors(source, t, specs);
            if (e.size) errors.set(t.name, Object.fromEntries([...e].map(([k, v]) => [k, { rel_mse: v.relMse, sqnr_db: v.sqnrDb }])));
          }
          await recorder?.add(stats);
        }
      });
    } finally {
      bar.done();
      await pool?.close();
    }
    fx.out(opts.json ? jsonLines(results.map((s) => ({ ...toJson(s), ...(specs.length ? { quant_error: errors.get(s.name) ?? null } : {}) })))
      : table(results, specs.map((s) => s.text), errors));
  } finally {
    await source.close();
  }
}

/** CONTRACT keys first (name, shape, dtype, numel, absmax, mean, std, kurtosis, min, max, nan_count, inf_count): the dashboard's row, plus the histogram. */
function toJson(s: TensorStats): Record<string, unknown> {
  return { ...tensorRowFromStats(s), histogram: s.histogram };
}

/** A JSON array with one tensor per line: valid JSON, and greppable. */
function jsonLines(rows: unknown[]): string {
  return rows.length === 0 ? "[]\n" : `[\n${rows.map((r) => jsonForTerminal(JSON.stringify(r))).join(",\n")}\n]\n`;
}

/** Weight specs of --spec (activation/KV parts have no per-tensor error and are refused). */
function weightSpecs(list: string): QuantSpec[] {
  let specs: QuantSpec[];
  try { specs = parseSpecList(list); } catch (e) { throw new CliError(`--spec: ${(e as Error).message}`); }
  for (const s of specs) {
    if (!s.weight || s.act || s.kv || s.method !== "rtn") throw new CliError(`--spec ${s.text}: stats measures weight-only RTN specs (W{b}[-g{N}][-sym])`);
  }
  return specs;
}

function table(results: TensorStats[], specs: string[], errors: Map<string, Record<string, { sqnr_db: number | null }>>): string {
  return renderTable(
    ["tensor", "shape", "dtype", "absmax", "mean", "std", "kurtosis", "outliers", "absmax/std", ...specs.map((s) => `SQNR ${s} dB`)],
    results.map((s) => [
      s.name, s.shape.join("x"), s.dtype, fmt(s.absmax), fmt(s.mean), fmt(s.std), fmt(s.kurtosis),
      s.outlier_fraction === null ? null : `${(s.outlier_fraction * 100).toFixed(3)}%`, fmt(s.absmax_over_std),
      ...specs.map((k) => { const v = errors.get(s.name)?.[k]?.sqnr_db; return v === undefined || v === null ? null : +v.toFixed(2); }),
    ]),
  );
}
