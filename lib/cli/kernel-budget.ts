/**
 * How much kernel memory a CLI evaluation may use: the machine's memory (a share of it per thread,
 * each thread holding its own model), spread over as many wasm32 memories as that takes. The
 * session goes window-major when FP32 plus every spec's engine fits the budget (lib/eval/memory-plan.ts).
 */
import { totalmem } from "node:os";
import { MAX_GEMM_MEMORY_BYTES } from "../kernels/gemm-kernel.ts";
import { KERNEL_SCRATCH_RESERVE, MAX_KERNEL_MEMORIES } from "../model/kernel-linear.ts";

/** share of the machine's memory the kernels of all threads may take (the rest: JS heap, the reader, the OS) */
export const CLI_KERNEL_MEMORY_FRACTION = 0.7;

/** Kernel memories per thread and the bytes of weights they may hold in all. */
export function cliKernelBudget(threads = 1, machineBytes = totalmem()): { memories: number; memoryLimit: number } {
  const perThread = (machineBytes * CLI_KERNEL_MEMORY_FRACTION) / threads;
  const perMemory = MAX_GEMM_MEMORY_BYTES - KERNEL_SCRATCH_RESERVE;
  const memories = Math.max(1, Math.min(MAX_KERNEL_MEMORIES, Math.ceil(perThread / perMemory)));
  return { memories, memoryLimit: memories === 1 ? Math.min(perThread, MAX_GEMM_MEMORY_BYTES) : Math.min(perThread, memories * perMemory) };
}
