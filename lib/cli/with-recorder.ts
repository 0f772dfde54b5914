/** The one try/finally around a recorded CLI run (stats and eval alike). */

/** What every run recorder can do (record.ts, record-eval.ts). */
export interface RunRecorder {
  finish(status: "done" | "failed"): Promise<void>;
  close(): Promise<void>;
}

/**
 * Runs `work`, then marks the run done; a throw marks it failed and is re-thrown; the recorder is
 * closed either way. `recorder` null (no --db) runs `work` alone.
 */
export async function withRecorder<T>(recorder: RunRecorder | null, work: () => Promise<T>): Promise<T> {
  try {
    const out = await work();
    await recorder?.finish("done");
    return out;
  } catch (e) {
    await recorder?.finish("failed");
    throw e;
  } finally {
    await recorder?.close();
  }
}
