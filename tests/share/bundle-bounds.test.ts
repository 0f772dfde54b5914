/**
 * Issue 12, class 3 (Parquet): a bundle's Parquet tables are checked against named limits
 * from their footer and page headers before anything is decoded. The bomb below is a few
 * hundred bytes that decode to 20M rows (Node went to heap exhaustion; a tab worked 2 min).
 */
import { describe, expect, it } from "vitest";
import { BUNDLE_MAGIC, BundleError, readBundle, type BundleManifest } from "../../lib/share/bundle.ts";
import { nullBombParquet } from "../helpers/parquet-bomb.ts";

/** Rows the bomb decodes to: 20x the bundle row limit. */
const BOMB_ROWS = 20_000_000;
/** Heap (+ array buffers) a refused bomb may add: a few MB, not the GBs decoding it takes. */
const MAX_REFUSAL_BYTES = 16 * 1024 * 1024;

/** A bundle whose only table is `runs`, stored as `blob`, declared as `rows` rows. */
function bundleOf(blob: Uint8Array, rows: number): Uint8Array {
  const manifest: BundleManifest = {
    format: "quantlens-bundle", version: 1, tool: "t", model_id: "m1", run_id: "r1", created_at: "2026-01-01T00:00:00Z",
    tables: [{ table: "runs", offset: 0, length: blob.length, rows }],
  };
  const head = new TextEncoder().encode(JSON.stringify(manifest));
  const out = new Uint8Array(16 + head.length + blob.length);
  out.set(new TextEncoder().encode(BUNDLE_MAGIC));
  new DataView(out.buffer).setUint32(8, 1, true);
  new DataView(out.buffer).setUint32(12, head.length, true);
  out.set(head, 16);
  out.set(blob, 16 + head.length);
  return out;
}

const used = () => { const m = process.memoryUsage(); return m.heapTotal + m.arrayBuffers; };

describe("readBundle(bytes) bounds every decode", () => {
  it("refuses a 20M-row RLE bomb from its footer, allocating no more than a few MB", async () => {
    const bomb = bundleOf(nullBombParquet("run_id", BOMB_ROWS), 1);
    expect(bomb.length).toBeLessThan(1024);
    const before = used();
    const err = await readBundle(bomb).catch((e) => e);
    expect(used() - before).toBeLessThan(MAX_REFUSAL_BYTES);
    expect(err).toBeInstanceOf(BundleError);
    expect(String(err.message)).toMatch(/table runs: .*20000000 rows/);
  });

  it("refuses a footer that declares 1 row over a page of 20M values (the page header is checked too)", async () => {
    const liar = bundleOf(nullBombParquet("run_id", BOMB_ROWS, 1), 1);
    const before = used();
    const err = await readBundle(liar).catch((e) => e);
    expect(used() - before).toBeLessThan(MAX_REFUSAL_BYTES);
    expect(err).toBeInstanceOf(BundleError);
    expect(String(err.message)).toMatch(/table runs: .*20000000 values/);
  });

  it("refuses a footer whose row count is not the manifest's before decoding", async () => {
    const err = await readBundle(bundleOf(nullBombParquet("run_id", 5), 1)).catch((e) => e);
    expect(String(err.message)).toMatch(/table runs: the Parquet footer says 5 rows, the manifest says 1/);
  });
});
