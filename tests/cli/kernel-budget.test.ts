/** lib/cli/kernel-budget.ts: a share of the machine per thread, over as many wasm32 memories as it takes. */
import { describe, expect, it } from "vitest";
import { CLI_KERNEL_MEMORY_FRACTION, cliKernelBudget } from "../../lib/cli/kernel-budget.ts";
import { MAX_GEMM_MEMORY_BYTES } from "../../lib/kernels/gemm-kernel.ts";
import { KERNEL_SCRATCH_RESERVE } from "../../lib/model/kernel-linear.ts";

const GiB = 2 ** 30;
const perMemory = MAX_GEMM_MEMORY_BYTES - KERNEL_SCRATCH_RESERVE;

describe("CLI kernel budget", () => {
  it("gives one thread of a 24 GiB machine 70% of it over enough memories, two threads half each", () => {
    const one = cliKernelBudget(1, 24 * GiB);
    expect(one.memoryLimit).toBe(24 * GiB * CLI_KERNEL_MEMORY_FRACTION);
    expect(one.memories).toBe(Math.ceil(one.memoryLimit / perMemory));
    expect(one.memories * perMemory).toBeGreaterThanOrEqual(one.memoryLimit);
    const two = cliKernelBudget(2, 24 * GiB);
    expect(two.memoryLimit).toBe(one.memoryLimit / 2);
    expect(two.memories).toBeLessThan(one.memories);
  });

  it("a small machine gets one memory, bounded by the machine; a huge one at most 16 memories", () => {
    expect(cliKernelBudget(1, 2 * GiB)).toEqual({ memories: 1, memoryLimit: 2 * GiB * CLI_KERNEL_MEMORY_FRACTION });
    expect(cliKernelBudget(1, 2048 * GiB)).toEqual({ memories: 16, memoryLimit: 16 * perMemory });
  });
});
