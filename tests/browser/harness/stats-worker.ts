/// <reference lib="webworker" />
/**
 * Browser Web Worker: opens a model file fetched as a Blob with the same readers and the
 * same WebAssembly statistics kernels as Node, and posts every tensor's statistics back.
 */
import { openModel } from "../../../lib/formats/open.ts";
import { computeTensorStats } from "../../../lib/stats/index.ts";

self.onmessage = async (e: MessageEvent<{ url: string; name: string }>) => {
  try {
    const blob = await (await fetch(e.data.url)).blob();
    const file = new File([blob], e.data.name);
    const source = await openModel(file);
    const stats = [];
    for (const t of source.tensors) stats.push(await computeTensorStats(source, t));
    await source.close();
    self.postMessage({ ok: true, stats });
  } catch (err) {
    self.postMessage({ ok: false, error: String((err as Error).message) });
  }
};
