#!/usr/bin/env node
// The `quantlens` command. The library is TypeScript; tsx's ESM hook lets Node 20
// run it directly, so `npx quantlens` works right after `npm ci` with no build step.
import { register } from "tsx/esm/api";

register();
// `quantlens stats m --json | head` closes the pipe early: that is not an error.
process.stdout.on("error", (e) => { if (e.code === "EPIPE") process.exit(0); throw e; });
const { main } = await import("../lib/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
