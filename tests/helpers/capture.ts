import type { Effects } from "../../lib/cli/effects.ts";

/** Effects that collect what a CLI command prints, for assertions. */
export function captureEffects(): Effects & { stdout: () => string; stderr: () => string } {
  let out = "";
  let err = "";
  return {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    isTTY: false,
    stdout: () => out,
    stderr: () => err,
  };
}
