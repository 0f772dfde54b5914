/** Statistics engine: one statistic per file, re-exported here (d3-array style). */
export * from "./types.ts";
export * from "./moments.ts";
export * from "./extent.ts";
export * from "./counts.ts";
export * from "./channels.ts";
export * from "./histogram.ts";
export * from "./outliers.ts";
export * from "./keys.ts";
export * from "./state.ts";
export * from "./accumulator.ts";
export * from "./tensor-stats.ts";
export * from "./model-stats.ts";
// the pool itself is runtime-neutral; its Node workers come from pool-node.ts (not re-exported)
export * from "./pool.ts";
