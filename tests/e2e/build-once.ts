/**
 * One `next build` for the e2e files, in a private copy of the committed tree: other engineers
 * build and edit /work/main at the same time, and two `next build`s of one .next refuse or block
 * each other. The copy is `git archive HEAD` plus the gitignored inputs a build needs (the
 * generated kernels, node_modules hard-linked, duckdb-wasm's files copied by
 * scripts/copy-duckdb.mjs), built once per commit: files of one vitest run share it (a lock
 * directory serialises them) and later runs of the same commit reuse it.
 */
import { execFileSync, execSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe } from "vitest";
import { hasChromium, launchBrowser, startNext } from "../helpers/app-server.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** the private copy the app is built and served from */
export const APP_DIR = join(tmpdir(), "quantlens-e2e-app");
const LOCK = `${APP_DIR}.lock`;
const STAMP = join(APP_DIR, ".e2e-commit");
/** a build on the shared 2-core machine takes 2-5 minutes */
export const BUILD_TIMEOUT_MS = 600_000;
const NEXT = (dir: string) => join(dir, "node_modules/next/dist/bin/next");
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

const head = () => execFileSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
const built = (commit: string) => existsSync(STAMP) && readFileSync(STAMP, "utf8") === commit && existsSync(join(APP_DIR, ".next/BUILD_ID"));

/** Copies HEAD and the ignored build inputs to APP_DIR and runs `next build` there. */
function buildCopy(commit: string): void {
  rmSync(APP_DIR, { recursive: true, force: true });
  mkdirSync(APP_DIR, { recursive: true });
  execSync(`git -C ${JSON.stringify(ROOT)} archive ${commit} | tar -x -C ${JSON.stringify(APP_DIR)}`);
  execFileSync("cp", ["-al", join(ROOT, "node_modules"), join(APP_DIR, "node_modules")]);
  execFileSync("cp", ["-r", join(ROOT, "lib/kernels/generated"), join(APP_DIR, "lib/kernels/generated")]);
  execFileSync(process.execPath, [join(APP_DIR, "scripts/copy-duckdb.mjs")], { cwd: APP_DIR, stdio: "pipe" });
  execFileSync(process.execPath, [NEXT(APP_DIR), "build"], { cwd: APP_DIR, stdio: "pipe", env });
  writeFileSync(STAMP, commit);
}

/** Builds the committed app unless a build of this commit exists. */
export async function buildOnce(): Promise<void> {
  const commit = head();
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  for (;;) {
    if (built(commit)) return;
    try {
      mkdirSync(LOCK); // atomic: one builder
    } catch {
      // a lock left by a killed run is older than any build
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > BUILD_TIMEOUT_MS) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error("buildOnce: timed out waiting for another file's build");
      await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
    try {
      if (!built(commit)) buildCopy(commit);
      return;
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}

/** `next start` of the built copy on a free port; resolves once it answers. */
export function startBuiltApp(): Promise<{ url: string; stop: () => Promise<void> }> {
  return startNext(APP_DIR, env);
}

/** Browser suites run where Chromium is, and always in CI (where a missing browser must fail, not skip). */
export const describeE2e = hasChromium || process.env.CI ? describe : describe.skip;

/** The served build and the browser a suite shares; the fields are set once its beforeAll ran. */
export interface BuiltApp { url: string; browser: Browser }

/**
 * Registers the suite's beforeAll / afterAll: builds the committed tree once (buildOnce), serves it,
 * launches Chromium and makes test-results/ for screenshots; closes both after the suite. A suite's
 * own afterAll, registered later, runs first (vitest's stacked hooks), so its contexts close first.
 */
export function useBuiltApp(): BuiltApp {
  const app = {} as BuiltApp;
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    await buildOnce();
    const served = await startBuiltApp();
    stop = served.stop;
    app.url = served.url;
    app.browser = await launchBrowser();
    mkdirSync("test-results", { recursive: true });
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await app.browser?.close();
    await stop?.();
  });
  return app;
}
