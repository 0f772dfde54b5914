/** rowRuns(offset, n, cols, maxRows): the kernel calls a chunk splits into. */
import { describe, expect, it } from "vitest";
import { rowRuns } from "../../../lib/stats/engine/row-runs.ts";

describe("rowRuns(offset, n, cols, maxRows)", () => {
  it("splits a chunk into a partial row, whole rows (at most maxRows) and a partial row", () => {
    expect(rowRuns(7, 30, 10, 2)).toEqual([
      { row: 0, col: 7, rows: 1, len: 3, start: 0 },
      { row: 1, col: 0, rows: 2, len: 10, start: 3 },
      { row: 3, col: 0, rows: 1, len: 7, start: 23 },
    ]);
  });

  it("gives one run for whole rows and for a piece inside one row", () => {
    expect(rowRuns(20, 20, 10, 100)).toEqual([{ row: 2, col: 0, rows: 2, len: 10, start: 0 }]);
    expect(rowRuns(12, 5, 10, 100)).toEqual([{ row: 1, col: 2, rows: 1, len: 5, start: 0 }]);
    expect(rowRuns(0, 0, 10, 100)).toEqual([]);
  });
});
