/**
 * The files of data/demo/ the app serves at DEMO_URL (app/data/demo/[file]/route.ts), browser-safe:
 * the demo's model file, so "Evaluate" runs on the demo with no file picked, and its evaluation text.
 */

/** Where the app serves them. */
export const DEMO_URL = "/data/demo/";
/** the model file (the same weights as the statistics' stories260K.bin; tokenizer embedded) */
export const DEMO_MODEL_FILE = "stories260K.gguf";
/** the text of the precomputed evaluation run (23 TinyStories validation stories) */
export const DEMO_TEXT_FILE = "tinystories_valid_excerpt.txt";

/** Every served file with its content type. */
export const DEMO_SERVED_FILES = [
  { file: DEMO_MODEL_FILE, type: "application/octet-stream" },
  { file: DEMO_TEXT_FILE, type: "text/plain; charset=utf-8" },
] as const;
