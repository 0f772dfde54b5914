/** Row-major matrix helpers shared by the loaders, the quantizers and the what-if grid. */

/** [rows, cols] row-major -> [cols, rows]. */
export function transpose(x: Float32Array, rows: number, cols: number): Float32Array {
  const y = new Float32Array(x.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) y[c * rows + r] = x[r * cols + c]!;
  return y;
}
