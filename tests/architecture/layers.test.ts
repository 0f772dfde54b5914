/**
 * Arrows point one way (issue 8): every import in lib/ points to its own folder or to a lower floor
 * (floors.ts), lib/ never reaches app/, components/, tests/ or React, and bench/ and tests/ do not
 * import each other. Because floors are strictly ordered, no cycle between lib folders can pass.
 */
import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { ALLOWED_EXCEPTIONS, FLOORS } from "./floors.ts";
import { importsOf, sourceFiles, type ImportEdge } from "../helpers/imports.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The lib folder a root-relative path sits in ("(root)" for lib/*.ts), or null outside lib/. */
function folderOf(path: string): string | null {
  const parts = path.split("/");
  if (parts[0] !== "lib") return null;
  return parts.length === 2 ? "(root)" : parts[1]!;
}

/** One line per import that points up the floors, leaves lib/ for the UI or tests, or names React. */
export function violations(edges: ImportEdge[]): string[] {
  const rank = new Map<string, number>(FLOORS.map((f, i) => [f, i]));
  const allowed = new Set(ALLOWED_EXCEPTIONS.map((e) => `${e.from} -> ${e.to}`));
  const out: string[] = [];
  for (const { file, target } of edges) {
    const from = folderOf(file);
    if (from === null) continue;
    if (!rank.has(from)) { out.push(`${file}: folder lib/${from} has no floor in tests/architecture/floors.ts`); continue; }
    if (target === "npm:react" || target.startsWith("npm:react/") || target === "npm:react-dom") {
      out.push(`${file} imports ${target.slice(4)}: no React in lib/`);
      continue;
    }
    if (target.startsWith("npm:")) continue;
    const to = folderOf(target);
    if (to === null) { out.push(`${file} imports ${target}: lib/ reads only lib/`); continue; }
    if (to === from || allowed.has(`${file} -> ${target}`)) continue;
    if (!rank.has(to)) { out.push(`${file} imports ${target}: folder lib/${to} has no floor`); continue; }
    if (rank.get(to)! > rank.get(from)!) out.push(`${file} imports ${target}: ${from} may not import ${to} (a higher floor)`);
  }
  return [...new Set(out)];
}

describe("lib/ floors", () => {
  it("violations(edges) flags an import up the floors, into components/, and of React", () => {
    const v = violations([
      { file: "lib/quant/rtn.ts", target: "lib/model/forward.ts" },
      { file: "lib/model/forward.ts", target: "lib/quant/rtn.ts" },
      { file: "lib/store/x.ts", target: "components/ui/button.tsx" },
      { file: "lib/web/x.ts", target: "npm:react" },
      { file: "lib/nowhere/x.ts", target: "lib/quant/rtn.ts" },
    ]);
    expect(v).toHaveLength(4);
    expect(v[0]).toContain("quant may not import model");
  });

  it("every import in lib/ points to its own folder or a lower floor", () => {
    const files = sourceFiles(ROOT, "lib");
    expect(files.length).toBeGreaterThan(150);
    const edges = files.flatMap((f) => importsOf(ROOT, f));
    expect(edges.filter((e) => e.target.startsWith("lib/")).length).toBeGreaterThan(300);
    expect(violations(edges)).toEqual([]);
  });

  it("every allowed exception still exists and says why", () => {
    for (const e of ALLOWED_EXCEPTIONS) {
      expect(e.why.length).toBeGreaterThan(10);
      expect(importsOf(ROOT, e.from).some((x) => x.target === e.to)).toBe(true);
    }
  });

  it("bench/ and tests/ do not import each other", () => {
    const cross = [
      ...sourceFiles(ROOT, "bench").flatMap((f) => importsOf(ROOT, f)).filter((e) => e.target.startsWith("tests/")),
      ...sourceFiles(ROOT, "tests").flatMap((f) => importsOf(ROOT, f)).filter((e) => e.target.startsWith("bench/")),
    ].map((e) => `${e.file} imports ${e.target}`);
    expect(cross).toEqual([]);
  });
});
