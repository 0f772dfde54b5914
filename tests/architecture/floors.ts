/**
 * The floors of lib/, lowest first (ARCHITECTURE.md). A folder may import from its own floor's files and
 * from any lower floor, never from a higher one; app/ and components/ stand above all of lib/.
 * Data flows formats -> tensor -> kernels -> ... (DESIGN.md); imports follow that order, except that the
 * dtypes and decoders in tensor/ are the vocabulary the readers in formats/ speak, so tensor/ is the floor
 * formats/ stands on.
 */
export const FLOORS = [
  "(root)", // lib/version.ts: the tool's version, read by every provenance line
  "tensor", // dtypes, f16/bf16, ggml dequantizers
  "formats", // readers -> TensorSource, one openModel(), tensor names
  "kernels", // typed wrappers over kernels-wasm: a leaf above the readers
  "stats", // one statistic per file; stats/engine/ runs them
  "quant", // specs, RTN/AWQ/GPTQ/SmoothQuant, packing, errors, memory
  "model", // forward pass, configs, LogitsEngine, the protocol's windows
  "tokenizers", // llama2.c, GGUF and tokenizer.json vocabularies
  "eval", // perplexity, KL, top-1, multiple choice, sessions
  "store", // DuckDB schema and every SQL statement
  "analysis", // the view model shared by the CLI and the UI (ModelAnalysis, TensorRow)
  "evidence", // published results loaded into the store
  "recommend", // rules + evidence + the user's runs -> recommendations
  "report", // one report model -> Markdown, HTML, PDF; CSV export
  "share", // share links and result bundles
  "viz", // chart geometry for components/ (pure functions)
  "demo", // the embedded demo's data and its builder
  "web", // the browser runtime: sessions, workers, eval client
  "cli", // the quantlens command
] as const;

/** Imports allowed against the order, each with its reason (none today). */
export const ALLOWED_EXCEPTIONS: ReadonlyArray<{ from: string; to: string; why: string }> = [];
