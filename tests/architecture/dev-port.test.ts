/**
 * The dev and production servers honour PORT (`PORT=3101 npm run dev`): the package scripts do
 * not pin a port (next reads PORT when no -p is given), and the README says so.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };

describe("PORT", () => {
  it("npm run dev and npm start leave the port to PORT", () => {
    for (const script of ["dev", "start"]) {
      expect(pkg.scripts[script]).toMatch(/next (dev|start)/);
      expect(pkg.scripts[script]).not.toMatch(/(-p|--port)\s/);
    }
  });
  it("the README shows PORT=3101 npm run dev", () => {
    expect(readFileSync("README.md", "utf8")).toContain("PORT=3101 npm run dev");
  });
});
