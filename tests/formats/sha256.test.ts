/** sha256Hex(text) against node:crypto, across block boundaries and multi-byte UTF-8. */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../lib/formats/sha256.ts";

describe("sha256Hex", () => {
  it("sha256Hex(text) matches node:crypto for lengths around the 55/56/64-byte padding edges", () => {
    for (const n of [0, 1, 3, 55, 56, 63, 64, 65, 119, 120, 1000]) {
      const text = "ab✓".repeat(n).slice(0, n);
      expect(sha256Hex(text)).toBe(createHash("sha256").update(text, "utf8").digest("hex"));
    }
  });

  it('sha256Hex("abc") is the FIPS 180-2 example digest', () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
