/**
 * The one way tests find model fixtures: $QUANTLENS_FIXTURES, then ../shared (beside
 * the checkout), then a download of the public original into a cache folder, checked
 * against its sha256. A fixture that cannot be had makes the test skip, never fail.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Public originals of the fixtures that have one (karpathy/tinyllamas and ggml-org on the Hub). */
const ORIGINALS: Record<string, { url: string; sha256: string }> = {
  "models/stories260K.bin": {
    url: "https://huggingface.co/karpathy/tinyllamas/resolve/main/stories260K/stories260K.bin",
    sha256: "b0a507e7ad0f626624f17112325e66691f9076d622e1d3274d103d00299f2696",
  },
  "models/tok512.bin": {
    url: "https://huggingface.co/karpathy/tinyllamas/resolve/main/stories260K/tok512.bin",
    sha256: "037cb335abb25d1fa9e8ecae30ed2a3a8ace9302862ebcdc05d51a6bbb10c312",
  },
  "models/stories260K.gguf": {
    url: "https://huggingface.co/ggml-org/models/resolve/main/tinyllamas/stories260K.gguf",
    sha256: "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d",
  },
};

/** Folders searched, in order, for `models/...`, `corpora/...`, `evidence/...`. */
export function fixtureRoots(): string[] {
  const roots: string[] = [];
  if (process.env.QUANTLENS_FIXTURES) roots.push(resolve(process.env.QUANTLENS_FIXTURES));
  roots.push(resolve(ROOT, "../shared"));
  roots.push(join(ROOT, "node_modules/.cache/quantlens-fixtures"));
  return roots;
}

/** Absolute path of a fixture if it is present locally, else null. */
export function findFixture(rel: string): string | null {
  for (const root of fixtureRoots()) {
    const p = join(root, rel);
    if (existsSync(p)) return p;
  }
  return null;
}

/**
 * Absolute path of a fixture: local, or downloaded once and sha256-checked. Returns
 * null when it cannot be had (offline, no original); callers skip the test then.
 */
export async function fixture(rel: string): Promise<string | null> {
  const local = findFixture(rel);
  if (local) return local;
  const original = ORIGINALS[rel];
  if (!original || process.env.QUANTLENS_NO_DOWNLOAD) return null;
  try {
    const res = await fetch(original.url, { signal: AbortSignal.timeout(30_000) });
    if (!res.ok) return null;
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (createHash("sha256").update(bytes).digest("hex") !== original.sha256) return null;
    const dest = join(fixtureRoots().at(-1)!, rel);
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, bytes);
    return dest;
  } catch {
    return null;
  }
}

/** Reads a fixture as bytes (throws if absent: call `fixture()` first and skip on null). */
export function readFixture(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}
