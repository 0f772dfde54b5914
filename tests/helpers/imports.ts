/** Reads the relative imports of every TypeScript file under a folder (static, dynamic, `new URL` worker entries). */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";

export interface ImportEdge { file: string; target: string }

const SOURCE = /\.(ts|tsx|mts|mjs)$/;
const URL_ENTRY = /new URL\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url\s*\)/g;

/** Every source file below `dir`, as paths relative to `root`. */
export function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (SOURCE.test(e.name)) out.push(relative(root, p).split(sep).join("/"));
    }
  };
  walk(join(root, dir));
  return out.sort();
}

/** Module specifiers a file names: imports, re-exports, import(), and `new URL("...", import.meta.url)`. */
export function specifiersOf(source: string): string[] {
  const info = ts.preProcessFile(source, true, true);
  const specs = info.importedFiles.map((f) => f.fileName);
  for (const m of source.matchAll(URL_ENTRY)) specs.push(m[1]!);
  return specs;
}

/** Relative and "@/" imports of `file` (relative to root), resolved to root-relative paths. */
export function importsOf(root: string, file: string): ImportEdge[] {
  const text = readFileSync(join(root, file), "utf8");
  const edges: ImportEdge[] = [];
  for (const s of specifiersOf(text)) {
    let abs: string | null = null;
    if (s.startsWith(".")) abs = resolve(root, dirname(file), s);
    else if (s.startsWith("@/")) abs = resolve(root, s.slice(2));
    if (abs) edges.push({ file, target: relative(root, abs).split(sep).join("/") });
    else edges.push({ file, target: `npm:${s}` });
  }
  return edges;
}
