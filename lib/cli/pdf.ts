/**
 * Prints a standalone HTML report to PDF with the system Chromium through playwright-core (the
 * launcher the tests use: tests/helpers/app-server.ts). A4, backgrounds printed; page breaks come
 * from the report's print stylesheet. The page loads nothing from the network.
 */
import { existsSync } from "node:fs";
import { CliError } from "./errors.ts";

/** Chromium to print with: $CHROMIUM_PATH, else Debian's. */
export const PDF_CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Headless flags: no sandbox as root, no background networking (as the tests launch it). */
const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-dev-shm-usage",
];
/** A report of a few hundred KiB renders in well under a second; this bounds a stuck browser. */
const PRINT_TIMEOUT_MS = 60_000;

/** The PDF bytes of `html`. */
export async function htmlToPdf(html: string): Promise<Uint8Array> {
  if (!existsSync(PDF_CHROMIUM)) throw new CliError(`--format pdf needs Chromium at ${PDF_CHROMIUM} (set CHROMIUM_PATH)`, { exitCode: 1 });
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: PDF_CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: PRINT_TIMEOUT_MS });
  try {
    const page = await browser.newPage();
    // a standalone report needs nothing from outside: refuse every request so printing never waits on the network
    await page.route("**/*", (route) => route.abort());
    await page.setContent(html, { waitUntil: "load", timeout: PRINT_TIMEOUT_MS });
    await page.emulateMedia({ media: "print" });
    return await page.pdf({ format: "A4", printBackground: true, preferCSSPageSize: true });
  } finally {
    await browser.close();
  }
}
