/**
 * Shards opened lazily: a folder of 25k shards used to open 25k files at once (EMFILE). Each
 * shard is opened once to learn its size and closed; reads reopen it through a small pool
 * that keeps at most MAX_OPEN_SHARDS open, closing the least recently used idle one.
 */
import type { ByteSource } from "./types.ts";

/** Files kept open at once: far below any ulimit, enough for the reads in flight. */
export const MAX_OPEN_SHARDS = 64;

type Opener = (file: string) => Promise<ByteSource | null>;

/** Runs `f` over `items` with at most `limit` calls in flight; results in order. */
async function mapLimited<T, R>(items: T[], limit: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => { while (next < items.length) { const i = next++; out[i] = await f(items[i]!); } };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Lazy ByteSources for `files` (null for a missing one); at most `limit` files open at any time. */
export async function lazyShards(open: Opener, files: string[], limit = MAX_OPEN_SHARDS): Promise<(ByteSource | null)[]> {
  const live = new Map<number, { src: Promise<ByteSource>; users: number }>(); // insertion order = recency
  const waiting: Array<() => void> = []; // acquires waiting for a file to be released
  let closing = 0; // evicted files whose close has not finished: they still hold a descriptor
  const acquire = async (i: number): Promise<ByteSource> => {
    let e = live.get(i);
    // room is checked and taken in one synchronous step, so concurrent acquires cannot overshoot
    while (!e && live.size + closing >= limit) {
      const idle = [...live].find(([, x]) => x.users === 0);
      if (idle) { // close the least recently used idle file first
        live.delete(idle[0]);
        closing++;
        await idle[1].src.then((s) => s.close()).catch(() => undefined);
        closing--;
      } else {
        await new Promise<void>((r) => waiting.push(r)); // every open file is in use
      }
      e = live.get(i);
    }
    if (e) live.delete(i);
    else e = { src: open(files[i]!).then((s) => s ?? Promise.reject(new Error(`${files[i]} disappeared`))), users: 0 };
    live.set(i, e);
    e.users++;
    try {
      return await e.src;
    } catch (err) {
      live.delete(i);
      waiting.shift()?.();
      throw err;
    }
  };
  const release = (i: number) => { const e = live.get(i); if (e) e.users--; waiting.shift()?.(); };
  const use = async <T>(i: number, f: (s: ByteSource) => Promise<T>): Promise<T> => {
    const s = await acquire(i);
    try { return await f(s); } finally { release(i); }
  };
  const first = await mapLimited(files, limit, async (f) => {
    const s = await open(f);
    if (!s) return null;
    const info = { name: s.name, size: s.size, readInto: s.readInto !== undefined };
    await s.close();
    return info;
  });
  return first.map((info, i) => info && {
    name: info.name, size: info.size,
    read: (offset: number, length: number) => use(i, (s) => s.read(offset, length)),
    ...(info.readInto ? { readInto: (offset: number, dest: Uint8Array) => use(i, (s) => s.readInto!(offset, dest)) } : {}),
    async close() {
      const e = live.get(i);
      live.delete(i);
      if (e) await e.src.then((s) => s.close()).catch(() => undefined);
    },
  });
}
