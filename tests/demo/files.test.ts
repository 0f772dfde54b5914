import { describe, expect, it } from "vitest";
import { byteRange } from "../../lib/demo/files.ts";

describe("byteRange(header, size)", () => {
  it("reads one range in its three forms, the end clamped to the file", () => {
    expect(byteRange("bytes=0-0", 100)).toEqual({ start: 0, end: 0 });
    expect(byteRange("bytes=10-", 100)).toEqual({ start: 10, end: 99 });
    expect(byteRange("bytes=-30", 100)).toEqual({ start: 70, end: 99 });
    expect(byteRange("bytes=90-500", 100)).toEqual({ start: 90, end: 99 });
    expect(byteRange("bytes=-500", 100)).toEqual({ start: 0, end: 99 });
  });

  it("serves the whole file for no header, several ranges or a form it does not read", () => {
    for (const h of [null, "", "bytes=1-2,5-6", "items=0-1", "bytes=-", "bytes=5-2"]) expect(byteRange(h, 100), String(h)).toBeNull();
  });

  it("says unsatisfiable for a start at or past the end and an empty suffix", () => {
    expect(byteRange("bytes=100-", 100)).toBe("unsatisfiable");
    expect(byteRange("bytes=-0", 100)).toBe("unsatisfiable");
  });
});
