/**
 * Copies duckdb-wasm's browser bundles (wasm modules and their Web Worker scripts) from
 * node_modules into public/duckdb/, where lib/store/wasm.ts's PUBLIC_BUNDLES finds them
 * (`/duckdb/...`). Run by `npm run build` and `npm run dev`; the copies are gitignored.
 */
import { copyFileSync, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DIST = join(ROOT, "node_modules/@duckdb/duckdb-wasm/dist");
const DEST = join(ROOT, "public/duckdb");
/** The two bundles selectBundle chooses between: MVP, and EH (wasm exception handling). */
export const DUCKDB_FILES = ["duckdb-mvp.wasm", "duckdb-eh.wasm", "duckdb-browser-mvp.worker.js", "duckdb-browser-eh.worker.js"];

mkdirSync(DEST, { recursive: true });
for (const f of DUCKDB_FILES) {
  const from = join(DIST, f);
  if (!existsSync(from)) throw new Error(`copy-duckdb: ${from} is missing; run npm ci`);
  const to = join(DEST, f);
  // skip unchanged files: dev restarts stay quick
  if (existsSync(to) && statSync(to).size === statSync(from).size && statSync(to).mtimeMs >= statSync(from).mtimeMs) continue;
  copyFileSync(from, to);
}
console.log(`copy-duckdb: ${DUCKDB_FILES.length} files in public/duckdb/`);
