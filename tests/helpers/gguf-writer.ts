/** The GGUF writer of the reader tests (it lives in lib/formats, where the bench's llama.cpp peer also uses it). */
export * from "../../lib/formats/gguf-writer.ts";
