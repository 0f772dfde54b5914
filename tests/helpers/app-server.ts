/**
 * Serves a built Next.js app on 127.0.0.1 for browser tests (tests/e2e/build-once.ts builds it),
 * plus the Chromium launcher the tests use (Debian's /usr/bin/chromium, headless, no network chatter).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** The flags DEVELOPERS.md asks for: headless, no sandbox as root, no background networking. */
const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-dev-shm-usage",
];
const START_TIMEOUT_MS = 60_000;

/** True when a browser can be launched here. */
export const hasChromium = existsSync(CHROMIUM);

/** Launches headless Chromium. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** `next start` of the app in `appDir` on a free port; resolves with its URL once it answers. */
export async function startNext(appDir: string, env: NodeJS.ProcessEnv = process.env): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath,
    [join(appDir, "node_modules/next/dist/bin/next"), "start", "-H", "127.0.0.1", "-p", String(port)],
    { cwd: appDir, stdio: "ignore", env: { ...env, NEXT_TELEMETRY_DISABLED: "1" } });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    try { if ((await fetch(url)).ok) break; } catch { /* not up yet */ }
    if (Date.now() > deadline) { child.kill(); throw new Error(`next start did not answer on ${url}`); }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, stop: async () => { child.kill(); } };
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
    s.on("error", rej);
  });
}
