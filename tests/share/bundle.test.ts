/**
 * lib/share/bundle.ts: one run of a store (duckdb-wasm, Node binding) written as a bundle reads
 * back with the same rows, imports into another store, rebuilds the same ModelAnalysis, and
 * anything that is not a valid bundle is refused in plain words.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analysisFromRunRows } from "../../lib/analysis/live.ts";
import type { TensorInfo } from "../../lib/formats/types.ts";
import type { TensorStats } from "../../lib/stats/types.ts";
import { BUNDLE_MAGIC, importBundle, readBundle, writeBundle, type BundleManifest } from "../../lib/share/bundle.ts";
import { writeParquet } from "../../lib/store/parquet.ts";
import { fetchTensorStats, finishRun, saveModel, saveTensors, saveTensorStats, startRun } from "../../lib/store/queries.ts";
import type { Store } from "../../lib/store/store.ts";
import { openWasmNodeStore } from "../../lib/store/wasm-node.ts";

const T = (name: string, shape: number[], byteOffset: number): TensorInfo => ({
  name, fileName: name, dtype: "F32", shape, numel: shape.reduce((a, b) => a * b, 1), shard: 0, byteOffset,
  byteLength: 4 * shape.reduce((a, b) => a * b, 1),
});
const TENSORS = [T("model.layers.0.mlp.down_proj.weight", [4, 8], 0), T("model.norm.weight", [8], 128)];
const profile = (channels: number, absmax: number[]) => ({ channels, bucketSize: 1, absmax, top: [[1, absmax[1]!]] as Array<[number, number]>, median: 0.5 });
const STATS: TensorStats[] = [
  {
    name: TENSORS[0]!.name, shape: [4, 8], dtype: "F32", numel: 32, count: 32, absmax: 7.25, mean: 0.1, std: 1.5, kurtosis: 9.125,
    min: -7.25, max: 3, nan_count: 0, inf_count: 0, zero_count: 1, outlier_fraction: 0.03125, absmax_over_std: 7.25 / 1.5,
    histogram: { edges: [-7.25, 0, 3], counts: [10, 22] },
    channels: { cols: profile(8, [1, 7.25, 1, 1, 1, 1, 1, 1]), rows: profile(4, [7.25, 1, 1, 2]) },
  },
  {
    name: TENSORS[1]!.name, shape: [8], dtype: "F32", numel: 8, count: 8, absmax: 1, mean: 1, std: 0, kurtosis: null,
    min: 1, max: 1, nan_count: 0, inf_count: 0, zero_count: 0, outlier_fraction: 0, absmax_over_std: null, histogram: null,
  },
];

describe("result bundles", () => {
  let store: Store;
  let runId: string;
  beforeAll(async () => {
    store = await openWasmNodeStore();
    const source = { format: "safetensors" as const, name: "tiny", tensors: TENSORS, config: { architecture: "llama", nLayers: 1 } };
    await saveModel(store, "m1", source, "local:tiny");
    await saveTensors(store, "m1", TENSORS);
    runId = await startRun(store, { modelId: "m1", kind: "stats", toolVersion: "test" });
    for (const s of STATS) await saveTensorStats(store, runId, "m1", s);
    await finishRun(store, runId, "done");
    // another run of another model must stay out of the bundle
    const other = await startRun(store, { modelId: "m2", kind: "stats", toolVersion: "test" });
    await saveTensorStats(store, other, "m2", { ...STATS[1]!, name: "other" });
  }, 60_000);
  afterAll(async () => {
    await store?.close();
  });

  it("writeBundle(store, runId) reads back with that run's rows only", async () => {
    const bytes = await writeBundle(store, runId, "quantlens test");
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe(BUNDLE_MAGIC);
    const { manifest, rows } = await readBundle(bytes);
    expect(manifest.run_id).toBe(runId);
    expect(manifest.model_id).toBe("m1");
    expect(rows.runs).toHaveLength(1);
    expect(rows.runs[0]!.status).toBe("done");
    expect(rows.tensor_stats.map((r) => r.name).sort()).toEqual(TENSORS.map((t) => t.name).sort());
    expect(rows.channel_stats).toHaveLength(2);
    expect(rows.tensors).toHaveLength(2);
    expect(rows.models[0]!.source).toBe("local:tiny");
  });

  it("importBundle puts the rows into a fresh store, where fetchTensorStats returns the same TensorStats", async () => {
    const { rows } = await readBundle(await writeBundle(store, runId, "quantlens test"));
    const other = await openWasmNodeStore();
    try {
      expect(await importBundle(other, rows)).toBe(1 + 2 + 1 + 2 + 2);
      expect(await fetchTensorStats(other, runId)).toEqual(await fetchTensorStats(store, runId));
      // a second import is refused and keeps what is there (never merged into the run)
      await expect(importBundle(other, rows)).rejects.toThrow(/already in the store/);
      expect(await other.query("SELECT count(*)::INTEGER AS n FROM tensor_stats")).toEqual([{ n: 2 }]);
    } finally {
      await other.close();
    }
  });

  it("analysisFromRunRows rebuilds the ModelAnalysis: rows in model order, channels, histograms, model facts", async () => {
    const { rows } = await readBundle(await writeBundle(store, runId, "quantlens test"));
    const a = analysisFromRunRows(rows, "test");
    expect(a.id).toBe("local:tiny");
    expect(a.tensors.map((t) => t.name)).toEqual(TENSORS.map((t) => t.name));
    expect(a.tensors[0]!.kurtosis).toBe(9.125);
    expect(a.model).toMatchObject({ name: "tiny", format: "safetensors", params: 40, bytes: 160, tensorCount: 2 });
    expect(a.channels[TENSORS[0]!.name]!.input).toEqual([1, 7.25, 1, 1, 1, 1, 1, 1]);
    expect(a.histograms[TENSORS[0]!.name]).toEqual({ lo: -7.25, hi: 3, counts: [10, 22] });
  });

  /** A bundle with `manifest` and Parquet blobs, as writeBundle lays it out. */
  function container(manifest: unknown, blobs: Uint8Array[] = []): Uint8Array {
    const head = new TextEncoder().encode(JSON.stringify(manifest));
    const size = blobs.reduce((n, b) => n + b.length, 0);
    const out = new Uint8Array(16 + head.length + size);
    out.set(new TextEncoder().encode(BUNDLE_MAGIC));
    new DataView(out.buffer).setUint32(8, 1, true);
    new DataView(out.buffer).setUint32(12, head.length, true);
    out.set(head, 16);
    let at = 16 + head.length;
    for (const b of blobs) { out.set(b, at); at += b.length; }
    return out;
  }
  const manifest = (tables: BundleManifest["tables"]): BundleManifest => ({
    format: "quantlens-bundle", version: 1, tool: "t", model_id: "m1", run_id: "r1", created_at: "2026-01-01T00:00:00Z", tables,
  });

  it("readBundle refuses what is not a bundle: other files, a DuckDB database, bad versions and manifests", async () => {
    await expect(readBundle(new TextEncoder().encode("PAR1 hello"))).rejects.toThrow(/not a quantlens result bundle/);
    await expect(readBundle(new TextEncoder().encode("DUCK\0\0\0\0 a database file"))).rejects.toThrow(/not a quantlens result bundle/);
    const v2 = container(manifest([]));
    new DataView(v2.buffer).setUint32(8, 2, true);
    await expect(readBundle(v2)).rejects.toThrow(/version 2 is not supported/);
    const long = container(manifest([]));
    new DataView(long.buffer).setUint32(12, 1 << 30, true);
    await expect(readBundle(long)).rejects.toThrow(/manifest length/);
    await expect(readBundle(container({ ...manifest([]), extra: 1 }))).rejects.toThrow(/manifest/);
    await expect(readBundle(container(manifest([{ table: "evidence_results" as never, offset: 0, length: 1, rows: 0 }])))).rejects.toThrow(/manifest tables/);
    await expect(readBundle(container(manifest([{ table: "runs", offset: 0, length: 100, rows: 1 }])))).rejects.toThrow(/ends past the end/);
    await expect(readBundle(container(manifest([{ table: "runs", offset: 0, length: 4, rows: 1 }]), [new Uint8Array(4)]))).rejects.toThrow(/not a readable Parquet/);
  });

  it("readBundle refuses rows outside the schema, of the wrong type, or of another run", async () => {
    const run = { run_id: "r1", model_id: "m1", kind: "stats", status: "done" };
    const ok = writeParquet("runs", [run]);
    await expect(readBundle(container(manifest([{ table: "runs", offset: 0, length: ok.length, rows: 1 }]), [ok]))).resolves.toBeTruthy();
    const otherRun = writeParquet("runs", [{ ...run, run_id: "r2" }]);
    await expect(readBundle(container(manifest([{ table: "runs", offset: 0, length: otherRun.length, rows: 1 }]), [otherRun])))
      .rejects.toThrow(/run_id "r2" is not the bundle's run_id/);
    // tensor_stats rows written with the runs columns: "kind" is not a tensor_stats column
    await expect(readBundle(container(manifest([{ table: "tensor_stats", offset: 0, length: ok.length, rows: 1 }]), [ok])))
      .rejects.toThrow(/column "kind" is not in the store schema/);
    const noRun = container(manifest([]));
    await expect(readBundle(noRun)).rejects.toThrow(/expected one run/);
  });
});
