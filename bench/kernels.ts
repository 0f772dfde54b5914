/**
 * Kernel-only figures (data already in wasm memory, no copy, no JS around it): where the
 * end-to-end stats_* time goes. 32 MiB blocks (past L2/L3 slices) run 8 times = 256 MiB.
 */
import { acquireStatsKernel } from "../lib/kernels/stats-kernel.ts";

const BLOCK = 32 << 20;
const REPEAT = 8;
const SRC = 4 << 20;

/** GB/s of pass 1 (f32, with channels), pass 2 (f32 sweep) and the bf16 key kernel. */
export async function kernelFigures(f32: Uint8Array, bf16: Uint8Array, cols: number): Promise<Record<string, number>> {
  const k = await acquireStatsKernel();
  k.reserve(SRC + BLOCK);
  const COLS = 128 * 1024, ROWS = COLS + 4 * cols, KEYS = 1024 * 1024 + 65536;
  const time = (fn: () => void) => {
    let best = Infinity;
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      for (let i = 0; i < REPEAT; i++) fn();
      best = Math.min(best, performance.now() - t0);
    }
    return +((BLOCK * REPEAT) / best / 1e6).toFixed(3);
  };
  k.bytes.set(f32.subarray(0, BLOCK), SRC);
  const rows = BLOCK / 4 / cols;
  k.resetAcc(0);
  const out: Record<string, number> = {
    kernel_pass1_f32_gbps: time(() => k.stats("F32", SRC, rows, cols, 0, 0, COLS, ROWS)),
    kernel_sweep_f32_gbps: time(() => k.sweep("F32", SRC, BLOCK / 4, -0.5, 0.5, -1, 32, 64, 64 * 1024, 0, false)),
  };
  k.bytes.set(bf16.subarray(0, BLOCK), SRC);
  out.kernel_keys_bf16_gbps = time(() => k.keys("BF16", SRC, BLOCK / 2 / cols, cols, KEYS, COLS, ROWS));
  k.release();
  return out;
}
