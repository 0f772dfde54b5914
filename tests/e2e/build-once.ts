/**
 * One `next build` per vitest run, shared by every e2e file: vitest's workers are children of
 * one process, so the first file to get here builds (holding a lock directory) and stamps the
 * build with that parent's pid; the others wait for the stamp. A build newer than every source
 * file (app/, components/, lib/, data/demo/, public/) is reused, whoever made it. QUANTLENS_SKIP_BUILD=1 reuses
 * an existing build (tests/helpers/app-server.ts). duckdb-wasm's files are copied to public/ first.
 * A build another process is running is waited for, then this run builds its own.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildApp } from "../helpers/app-server.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const LOCK = join(ROOT, "node_modules/.cache/quantlens-e2e-build.lock");
const STAMP = join(ROOT, "node_modules/.cache/quantlens-e2e-build.stamp");
/** a build on the shared 2-core machine takes 2-4 minutes */
export const BUILD_TIMEOUT_MS = 600_000;

/** Folders whose files go into the app build. */
const SOURCES = ["app", "components", "lib", "data/demo", "public"];

/** Newest modification time of the files a build reads (ms). */
function newestSource(dir = ROOT, rels = SOURCES): number {
  let newest = 0;
  for (const rel of rels) {
    const p = join(dir, rel);
    if (!existsSync(p)) continue;
    const st = statSync(p);
    if (st.isDirectory()) newest = Math.max(newest, newestSource(p, readdirSync(p)));
    else newest = Math.max(newest, st.mtimeMs);
  }
  return newest;
}

/** This vitest run built, or a build of the current sources exists (another process's counts too). */
function stamped(): boolean {
  const id = join(ROOT, ".next/BUILD_ID");
  if (!existsSync(id)) return false;
  if (existsSync(STAMP) && readFileSync(STAMP, "utf8") === String(process.ppid)) return true;
  return statSync(id).mtimeMs > newestSource();
}

/**
 * buildApp, waiting while another `next build` holds .next (other engineers build the same
 * tree): Next refuses a second build with "Another next build process is already running".
 */
async function buildWhenFree(deadline: number): Promise<void> {
  for (;;) {
    try {
      buildApp();
      return;
    } catch (e) {
      const busy = /Another next build process is already running/.test(String((e as { stderr?: unknown }).stderr ?? "") + String(e));
      if (!busy || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
}

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
        await buildWhenFree(deadline);
        writeFileSync(STAMP, String(process.ppid));
      }
      return;
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}
