/**
 * Issue 12, class 4: no super-linear path on file-controlled strings or counts. Each input
 * below took seconds to minutes (quadratic regexes) or overflowed the stack (spread of an
 * unbounded array into Math.max) before the fix.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { globFilter } from "../../lib/cli/glob.ts";
import { renderTable } from "../../lib/cli/table.ts";
import { hfSuffix } from "../../lib/formats/onnx-names.ts";
import { inferConfig } from "../../lib/formats/safetensors.ts";
import type { TensorInfo } from "../../lib/formats/types.ts";

/** Work on a ~600 KB string must stay far below the seconds a quadratic path takes. */
const LINEAR_BUDGET_MS = 1500;
const timed = (f: () => unknown) => { const t0 = performance.now(); f(); return performance.now() - t0; };

describe("hfSuffix(name)", () => {
  it("finds the Hugging Face suffix as the regex did", () => {
    expect(hfSuffix("m.model.norm.weight")).toBe("model.norm.weight");
    expect(hfSuffix("model.layers.0.mlp.up_proj.weight")).toBe("model.layers.0.mlp.up_proj.weight");
    expect(hfSuffix("x.lm_head.weight")).toBe("lm_head.weight");
    expect(hfSuffix("onnx::MatMul_12")).toBeNull();
    expect(hfSuffix("mymodel.norm")).toBeNull();
    expect(hfSuffix("a/model.norm.weight")).toBeNull();
    expect(hfSuffix("model.")).toBeNull();
    expect(hfSuffix("a.model.b.model.c")).toBe("model.b.model.c");
    expect(hfSuffix("a:model.x.b.model.c")).toBe("model.c");
  });

  it("is linear on a 600 KB name of repeated '.model' (quadratic regex before)", () => {
    const name = ".model".repeat(100_000) + "!";
    expect(timed(() => expect(hfSuffix(name)).toBeNull())).toBeLessThan(LINEAR_BUDGET_MS);
  });
});

describe("globFilter(globs)", () => {
  it("matches * and ? like a shell glob", () => {
    const f = globFilter(["model.layers.*.mlp.*"]);
    expect(f("model.layers.3.mlp.up_proj.weight")).toBe(true);
    expect(f("model.layers.3.self_attn.q_proj.weight")).toBe(false);
    expect(globFilter(["a?c"])("abc")).toBe(true);
    expect(globFilter(["a?c"])("ac")).toBe(false);
    expect(globFilter(["*"])("")).toBe(true);
    expect(globFilter(["a*b*c"])("abxbc")).toBe(true);
    expect(globFilter(["a*b*c"])("acb")).toBe(false);
    expect(globFilter(["*.weight"])("x.weight.bias")).toBe(false);
    expect(globFilter(["x[1]"])("x[1]")).toBe(true);
    expect(globFilter(["*a?"])("aab")).toBe(true);
    expect(globFilter(["*?a*"])("xa")).toBe(true);
    expect(globFilter(["*?a*"])("a")).toBe(false);
    expect(globFilter(["a*", "*z"])("xyz")).toBe(true);
    expect(globFilter(["line\n*"])("line\nnext")).toBe(true);
  });

  it("is linear on a 600 KB name against model.layers.*.mlp.* (backtracking regex before)", () => {
    const name = "model.layers." + ".mlp.".repeat(100_000) + "\n";
    const f = globFilter(["model.layers.*.mlp.*x"]);
    expect(timed(() => expect(f(name)).toBe(false))).toBeLessThan(LINEAR_BUDGET_MS);
    const g = globFilter(["model.layers.*.mlp.*"]);
    expect(timed(() => expect(g(name)).toBe(true))).toBeLessThan(LINEAR_BUDGET_MS);
  });
});

describe("no spread of unbounded arrays", () => {
  const info = (name: string): TensorInfo => ({ name, fileName: name, dtype: "F32", shape: [1], numel: 1, shard: 0, byteOffset: 0, byteLength: 4 });

  it("inferConfig(tensors) counts layers of 300k tensors without a stack overflow", () => {
    const tensors = Array.from({ length: 300_000 }, (_, i) => info(`model.layers.${i}.mlp.up_proj.weight`));
    expect(inferConfig(tensors).nLayers).toBe(300_000);
  });

  it("renderTable(header, rows) lays out 1M rows without a stack overflow", () => {
    const rows = Array.from({ length: 1_000_000 }, (_, i) => [`t${i}`, i]);
    expect(renderTable(["name", "n"], rows).split("\n")[2]).toBe(`${"t0".padEnd(7)}  ${"0".padStart(6)}`);
  });

  it("lib/ holds no Math.max(...x) / Math.min(...x)", () => {
    const hits: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir)) {
        const p = join(dir, e);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.tsx?$/.test(e) && /Math\.(max|min)\([^)]*\.\.\./.test(readFileSync(p, "utf8"))) hits.push(p);
      }
    };
    walk(join(import.meta.dirname, "../../lib"));
    expect(hits).toEqual([]);
  });
});
