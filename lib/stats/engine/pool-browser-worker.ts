/// <reference lib="webworker" />
/**
 * Browser bootstrap of a stats pool worker: the runtime-neutral handler of pool-protocol.ts
 * wired to a Web Worker's message port (the Node twin is pool-node-worker.mjs).
 * Bundle it as its own entry and give its URL to createBrowserStatsPool.
 */
import { createStatsHandler } from "./pool-protocol.ts";

const scope = self as unknown as DedicatedWorkerGlobalScope;
const handle = createStatsHandler((msg, transfer) => scope.postMessage(msg, transfer ?? []));
scope.onmessage = (e: MessageEvent) => handle(e.data);
