/**
 * The shape of "one way to open a model": what the browser imports through openModel reaches
 * no node: module (so Next's client bundle never pulls in node:fs), and the open* files import
 * each other one way only (entry → adapters → resolver), with no cycle.
 */
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { specifiersOf } from "../helpers/imports.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** The import specifiers of one file (type-only imports included: they are edges of the design too). */
const importsOf = (file: string): string[] => specifiersOf(readFileSync(file, "utf8"));

/** Every file reachable from `entry` through relative imports, and every bare/node: specifier met on the way. */
function closure(entry: string): { files: string[]; external: string[] } {
  const files = new Set<string>(), external = new Set<string>();
  const visit = (f: string) => {
    if (files.has(f)) return;
    files.add(f);
    for (const s of importsOf(f)) s.startsWith(".") ? visit(resolve(dirname(f), s)) : external.add(s);
  };
  visit(entry);
  return { files: [...files].map((f) => relative(ROOT, f)).sort(), external: [...external].sort() };
}

const formats = (f: string) => join(ROOT, "lib/formats", f);

describe("lib/formats/open.ts (the browser's way in)", () => {
  it("openModel's import closure holds no node: module and not the Node adapter", () => {
    const { files, external } = closure(formats("open.ts"));
    expect(files).toContain("lib/formats/open-folder.ts");
    expect(files).not.toContain("lib/formats/open-node.ts");
    expect(files).not.toContain("lib/formats/source-node.ts");
    expect(external.filter((s) => s.startsWith("node:"))).toEqual([]);
  });

  it("the open* files import one way: entry → adapters → resolver, none imports the entry", () => {
    const opens = ["open.ts", "open-files.ts", "open-http.ts", "open-node.ts", "open-folder.ts"];
    const edges = (f: string) => importsOf(formats(f)).map((s) => s.replace(/^\.\//, "")).filter((s) => opens.includes(s));
    expect(edges("open.ts").sort()).toEqual(["open-files.ts", "open-folder.ts", "open-http.ts"]);
    for (const adapter of ["open-files.ts", "open-http.ts", "open-node.ts"]) expect(edges(adapter)).toEqual([]);
    expect(edges("open-folder.ts")).toEqual([]);
  });
});
