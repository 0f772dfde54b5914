// Node bootstrap of a stats pool worker: TypeScript via tsx's ESM hook (as bin/quantlens.mjs),
// then the runtime-neutral handler of pool-protocol.ts wired to worker_threads' parentPort.
import { parentPort } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const { createStatsHandler } = await import("./pool-protocol.ts");
const handle = createStatsHandler((msg, transfer) => parentPort.postMessage(msg, transfer ?? []));
parentPort.on("message", handle);
