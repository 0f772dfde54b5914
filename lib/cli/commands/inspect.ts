/** `quantlens inspect <model>`: architecture, config, parameter count, tensor inventory, bytes per dtype. */
import type { CliOptions } from "../main.ts";
import type { Effects } from "../effects.ts";
import { globFilter } from "../glob.ts";
import { fmtBytes } from "../../viz/format.ts";
import { renderTable } from "../table.ts";
import { openModel } from "../../formats/open.ts";
import { nodeRuntime } from "../../formats/open-node.ts";
import { summarize } from "../../formats/summary.ts";
import { shapeOutIn } from "../../formats/shape.ts";
import { escapeControl, jsonForTerminal } from "../escape.ts";

/** Prints what the file holds without reading any tensor data. */
export async function run(opts: CliOptions, fx: Effects): Promise<void> {
  const source = await openModel(opts.model, { runtime: nodeRuntime });
  try {
    const keep = globFilter(opts.tensor);
    const summary = summarize(source);
    const tensors = source.tensors.filter((t) => keep(t.name));
    if (opts.json) {
      fx.out(`${jsonForTerminal(JSON.stringify({ ...summary, tensors: tensors.map(({ name, fileName, dtype, shape, numel, byteLength }) =>
        ({ name, file_name: fileName, dtype, shape, numel, bytes: byteLength })) }, null, 1))}\n`);
      return;
    }
    const c = summary.config;
    fx.out(`model         ${escapeControl(summary.name)}\nformat        ${summary.format}\narchitecture  ${escapeControl(String(c.architecture))}\n`);
    const cfg = Object.entries(c).filter(([k, v]) => k !== "architecture" && v !== undefined);
    if (cfg.length) fx.out(`config        ${cfg.map(([k, v]) => `${k}=${escapeControl(String(shortNumber(v)))}`).join(" ")}\n`);
    fx.out(`parameters    ${summary.params.toLocaleString("en-US")}` +
      `${summary.tiedLmHead ? " (lm_head tied to the embedding, counted once)" : ""}\n`);
    fx.out(`tensors       ${summary.tensorCount} in ${summary.shards} file(s), ${fmtBytes(summary.bytes)}\n\n`);
    fx.out(renderTable(["dtype", "tensors", "parameters", "bytes"],
      summary.byDtype.map((d) => [d.dtype, d.tensors, d.params, fmtBytes(d.bytes)])));
    fx.out("\n");
    fx.out(renderTable(["tensor", "shape", "dtype", "bytes"],
      tensors.map((t) => [t.name, shapeOutIn(t).join("x"), t.dtype, fmtBytes(t.byteLength)])));
  } finally {
    await source.close();
  }
}

/** Float32 metadata (GGUF's rms eps 9.99999975e-6) printed as the value its author wrote. */
function shortNumber(v: unknown): unknown {
  return typeof v === "number" && !Number.isInteger(v) ? Number(v.toPrecision(7)) : v;
}
