/**
 * Dense float64 linear algebra for GPTQ on symmetric positive definite n x n matrices (row-major
 * Float64Array): Cholesky (LAPACK potrf), inverse from the factor (torch.cholesky_inverse) and the
 * upper factor (torch.linalg.cholesky(upper=True)), which GPTQ takes of H^-1.
 */

/** Thrown when a matrix is not (numerically) positive definite; `column` is where the pivot failed. */
export class NotPositiveDefiniteError extends Error {
  override name = "NotPositiveDefiniteError";
  constructor(readonly column: number, readonly pivot: number) {
    super(`cholesky: matrix is not positive definite (pivot ${pivot} at column ${column})`);
  }
}

function checkSquare(a: Float64Array, n: number): void {
  if (a.length !== n * n) throw new RangeError(`linalg: ${a.length} values for a ${n} x ${n} matrix`);
}

/** Lower Cholesky factor L with A = L L^T (reads the lower triangle of A); the upper triangle of L is 0. */
export function cholesky(a: Float64Array, n: number): Float64Array {
  checkSquare(a, n);
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    // pivot: a_jj - sum_k l_jk^2
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= l[j * n + k]! * l[j * n + k]!;
    if (!(d > 0)) throw new NotPositiveDefiniteError(j, d);
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    // column below the pivot: (a_ij - sum_k l_ik l_jk) / l_jj
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

/** A^-1 from the lower factor L of A: (L L^T)^-1 = L^-T L^-1 (torch.cholesky_inverse). Row-wise, contiguous inner loops. */
export function choleskyInverse(l: Float64Array, n: number): Float64Array {
  checkSquare(l, n);
  // M = L^-1 row by row: M[i, :] = (e_i - sum_{k<i} L[i, k] M[k, :]) / L[i, i] (M[k, :] is zero past column k)
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const mi = i * n;
    m[mi + i] = 1;
    for (let k = 0; k < i; k++) {
      const f = l[mi + k]!;
      if (f !== 0) for (let c = 0; c <= k; c++) m[mi + c] -= f * m[k * n + c]!;
    }
    const d = l[mi + i]!;
    for (let c = 0; c <= i; c++) m[mi + c] /= d;
  }
  // A^-1 = M^T M = sum over rows k of the outer product M[k, :]^T M[k, :] (lower triangle, then mirrored)
  const inv = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const mk = k * n;
    for (let i = 0; i <= k; i++) {
      const f = m[mk + i]!;
      if (f !== 0) for (let j = 0; j <= i; j++) inv[i * n + j] += f * m[mk + j]!;
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) inv[j * n + i] = inv[i * n + j]!;
  return inv;
}

/** Inverse of a symmetric positive definite matrix through its Cholesky factor. */
export function inverseSpd(a: Float64Array, n: number): Float64Array {
  return choleskyInverse(cholesky(a, n), n);
}

/** Upper Cholesky factor U with A = U^T U (the transpose of the lower factor). */
export function choleskyUpper(a: Float64Array, n: number): Float64Array {
  const l = cholesky(a, n), u = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) u[j * n + i] = l[i * n + j]!;
  return u;
}
