import { expect, it } from "vitest";
import { fmtBytes, fmtCount, fmtDb, fmtInt, fmtNum, fmtPct } from "../../lib/viz/format.ts";

it("fmtNum: 4 significant digits, exponents outside [1e-3, 1e5), dashes for null", () => {
  expect(fmtNum(3.14159)).toBe("3.142");
  expect(fmtNum(1234567)).toBe("1.23e+6");
  expect(fmtNum(0.000123)).toBe("1.23e-4");
  expect(fmtNum(0)).toBe("0");
  expect(fmtNum(null)).toBe("–");
  expect(fmtNum(Infinity)).toBe("∞");
});
it("fmtInt, fmtPct, fmtDb, fmtBytes, fmtCount", () => {
  expect(fmtInt(260032)).toBe("260,032");
  expect(fmtPct(0.00123)).toBe("0.123%");
  expect(fmtDb(24.349)).toBe("24.3 dB");
  expect(fmtDb(Infinity)).toBe("∞ dB");
  expect(fmtBytes(1040128)).toBe("1016 KiB");
  expect(fmtBytes(512)).toBe("512 B");
  expect(fmtBytes(7.5e9)).toBe("6.98 GiB");
  expect(fmtCount(260032)).toBe("260K");
  expect(fmtCount(6.74e9)).toBe("6.74B");
});
