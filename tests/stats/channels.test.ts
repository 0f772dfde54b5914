/** channels.ts: [rows, cols] view, top-k, median and the downsampled profile, on numbers checkable by hand. */
import { describe, expect, it } from "vitest";
import { channelProfile, channelView, median, mergeChannelAbsmax, topChannels } from "../../lib/stats/index.ts";

describe("channels", () => {
  it("channelView(shape) is [prod(leading), last] for rank >= 2, null below", () => {
    expect(channelView([4, 5, 6])).toEqual({ rows: 20, cols: 6 });
    expect(channelView([8])).toBeNull();
    expect(channelView([])).toBeNull();
  });

  it("topChannels(abs, k) is exact and descending, lower index first on ties", () => {
    const abs = [1, 9, 3, 9, 0, 7, 2];
    expect(topChannels(abs, 3)).toEqual([[1, 9], [3, 9], [5, 7]]);
    expect(topChannels(abs, 10).length).toBe(7);
    expect(topChannels(abs, 0)).toEqual([]);
  });

  it("median(abs) averages the two middle values of an even count, 0 when empty", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBe(0);
  });

  it("channelProfile(abs) keeps the max of each bucket of ceil(n / 512) channels", () => {
    const abs = Float32Array.from({ length: 1030 }, (_, i) => (i === 1029 ? 50 : i % 7));
    const p = channelProfile(abs, 2);
    expect([p.channels, p.bucketSize, p.absmax.length]).toEqual([1030, 3, 344]);
    expect(p.absmax[343]).toBe(50);
    expect(p.absmax[0]).toBe(2);
    expect(p.top).toEqual([[1029, 50], [6, 6]]);
  });

  it("mergeChannelAbsmax(a, b) is the element-wise max", () => {
    expect(Array.from(mergeChannelAbsmax(new Float32Array([1, 5]), [3, 2]))).toEqual([3, 5]);
  });
});
