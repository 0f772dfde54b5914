/**
 * How a chunk of a [rows, cols] tensor splits into kernel calls: a leading partial row, runs of
 * whole rows (at most `maxRows` each, the size of the row scratch), a trailing partial row. Each
 * call's blocks restart at its first element, so whole rows give row-aligned blocks.
 */

/** One kernel call: `rows` rows of `len` elements starting at tensor row `row`, column `col`. */
export interface RowRun {
  row: number;
  col: number;
  rows: number;
  len: number;
  /** first element, relative to the chunk start */
  start: number;
}

/** The runs of elements [offset, offset + n) of a tensor with `cols` columns. */
export function rowRuns(offset: number, n: number, cols: number, maxRows: number): RowRun[] {
  const runs: RowRun[] = [];
  for (let e = offset, left = n; left > 0;) {
    const col = e % cols, row = (e - col) / cols;
    const rows = col === 0 && left >= cols ? Math.min(Math.floor(left / cols), maxRows) : 1;
    const len = rows === 1 ? Math.min(cols - col, left) : cols;
    runs.push({ row, col, rows, len, start: e - offset });
    e += rows * len;
    left -= rows * len;
  }
  return runs;
}
