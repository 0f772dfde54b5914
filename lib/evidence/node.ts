/** Node convenience for the evidence loader: reads the three CSVs from data/evidence/ (or `dir`). */
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Store } from "../store/store.ts";
import { LLAMA3_RESULTS, QLLM_FINDINGS, QLLM_RESULTS, type EvidenceTexts } from "./files.ts";
import { loadEvidence, type EvidenceSummary } from "./load.ts";

/** Where the evidence sits inside the package (data/, not a module: read at run time, as lib/demo reads data/demo). */
const EVIDENCE_SUBDIR = join("data", "evidence");

/** The package root: the nearest folder above this file that holds a package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** The checkout's data/evidence/ folder (found from this file, so `quantlens` works from any working directory). */
export const EVIDENCE_DIR = join(packageRoot(), EVIDENCE_SUBDIR);

/** The three CSV texts of `dir`. */
export async function readEvidenceTexts(dir: string = EVIDENCE_DIR): Promise<EvidenceTexts> {
  const read = (file: string) => readFile(join(dir, file), "utf8");
  const [qllmResults, qllmFindings, llama3Results] = await Promise.all([read(QLLM_RESULTS.file), read(QLLM_FINDINGS.file), read(LLAMA3_RESULTS.file)]);
  return { qllmResults, qllmFindings, llama3Results };
}

/** Reads data/evidence/ (or `dir`) and loads it into `store`. */
export async function loadEvidenceFromDir(store: Store, dir: string = EVIDENCE_DIR): Promise<EvidenceSummary> {
  return loadEvidence(store, await readEvidenceTexts(dir));
}
