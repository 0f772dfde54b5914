/** lib/quant: quantization specs, RTN (Qllm-Eval arithmetic), GPTQ, AWQ, SmoothQuant, packing and error figures. */
export * from "./types.ts";
export * from "./spec.ts";
export * from "./round.ts";
export * from "./rtn.ts";
export * from "./error.ts";
export * from "./pack.ts";
export * from "./linalg.ts";
export * from "./gptq.ts";
export * from "./awq.ts";
export * from "./awq-clip.ts";
export * from "./smoothquant.ts";
