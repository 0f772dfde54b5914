/**
 * Statistics, one per file, re-exported here (d3-array style); engine/ runs them over tensors
 * (kernel accumulator, chunk plans, worker pool) and is re-exported below it.
 */
export * from "./types.ts";
export * from "./moments.ts";
export * from "./extent.ts";
export * from "./counts.ts";
export * from "./channels.ts";
export * from "./histogram.ts";
export * from "./outliers.ts";
// the engine
export * from "./engine/keys.ts";
export * from "./engine/state.ts";
export * from "./engine/accumulator.ts";
export * from "./engine/tensor-stats.ts";
export * from "./engine/model-stats.ts";
// the pool itself is runtime-neutral; its Node workers come from engine/pool-node.ts (not re-exported)
export * from "./engine/pool.ts";
