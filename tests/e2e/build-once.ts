/**
 * One `next build` per vitest run, shared by every e2e file: vitest's workers are children of
 * one process, so the first file to get here builds (holding a lock directory) and stamps the
 * build with that parent's pid; the others wait for the stamp. QUANTLENS_SKIP_BUILD=1 reuses
 * an existing build (tests/helpers/app-server.ts). duckdb-wasm's files are copied to public/ first.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildApp } from "../helpers/app-server.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const LOCK = join(ROOT, "node_modules/.cache/quantlens-e2e-build.lock");
const STAMP = join(ROOT, "node_modules/.cache/quantlens-e2e-build.stamp");
/** a build on the shared 2-core machine takes 2-4 minutes */
export const BUILD_TIMEOUT_MS = 600_000;

const stamped = () => existsSync(STAMP) && readFileSync(STAMP, "utf8") === String(process.ppid) && existsSync(join(ROOT, ".next/BUILD_ID"));

/** Builds the app unless this vitest run already did. */
export async function buildOnce(): Promise<void> {
  execFileSync(process.execPath, [join(ROOT, "scripts/copy-duckdb.mjs")], { cwd: ROOT, stdio: "pipe" });
  mkdirSync(dirname(LOCK), { recursive: true });
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  for (;;) {
    if (stamped()) return;
    try {
      mkdirSync(LOCK); // atomic: one builder
    } catch {
      // a lock left by a killed run is older than any build
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > BUILD_TIMEOUT_MS) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error("buildOnce: timed out waiting for another file's next build");
      await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
    try {
      if (!stamped()) {
        buildApp();
        writeFileSync(STAMP, String(process.ppid));
      }
      return;
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}
