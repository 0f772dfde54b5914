// Node bootstrap of an evaluation thread (lib/cli/eval-threads.ts starts it): TypeScript via tsx's
// ESM hook (as bin/quantlens.mjs), then eval-thread.ts runs the one `start` message it gets.
import { parentPort } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const { runEvalThread } = await import("./eval-thread.ts");
parentPort.once("message", (m) => void runEvalThread(m, (msg) => parentPort.postMessage(msg)));
