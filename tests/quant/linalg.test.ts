/** linalg.ts: Cholesky of a hand-checkable 3x3, inverse and upper factor of H^-1, and the not-PD error. */
import { describe, expect, it } from "vitest";
import { cholesky, choleskyInverse, choleskyUpper, inverseSpd, NotPositiveDefiniteError } from "../../lib/quant/linalg.ts";
import { mulberry32 } from "../../lib/tensor/prng.ts";

/** float64 factorisations of well-conditioned matrices: a few ulps times n */
const MAX_F64_ERROR = 1e-10;

const A = Float64Array.of(4, 12, -16, 12, 37, -43, -16, -43, 98);

function matmul(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) c[i * n + j] += a[i * n + k]! * b[k * n + j]!;
  return c;
}
const transpose = (a: Float64Array, n: number) => Float64Array.from(a, (_, k) => a[(k % n) * n + ((k / n) | 0)]!);
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));
const eye = (n: number) => Float64Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 1 : 0));

describe("cholesky", () => {
  it("cholesky([[4,12,-16],[12,37,-43],[-16,-43,98]]) is [[2,0,0],[6,1,0],[-8,5,3]]", () => {
    expect(Array.from(cholesky(A, 3))).toEqual([2, 0, 0, 6, 1, 0, -8, 5, 3]);
  });

  it("choleskyUpper(A) is the transpose: A = U^T U", () => {
    expect(Array.from(choleskyUpper(A, 3))).toEqual([2, 6, -8, 0, 1, 5, 0, 0, 3]);
  });

  it("choleskyInverse(cholesky(A)) times A is the identity", () => {
    const inv = choleskyInverse(cholesky(A, 3), 3);
    expect(maxAbsDiff(matmul(inv, A, 3), eye(3))).toBeLessThan(MAX_F64_ERROR);
    // hand-checkable entry: (A^-1)_33 = 1 / l_33^2 = 1/9
    expect(inv[8]).toBeCloseTo(1 / 9, 14);
  });

  it("inverseSpd(H) and choleskyUpper(H^-1) on a random 20x20 Gram matrix, as GPTQ uses them", () => {
    const n = 20, rand = mulberry32(5), x = Float64Array.from({ length: 40 * n }, () => rand() - 0.5);
    const h = new Float64Array(n * n);
    for (let t = 0; t < 40; t++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) h[i * n + j] += x[t * n + i]! * x[t * n + j]!;
    const hinv = inverseSpd(h, n), u = choleskyUpper(hinv, n);
    expect(maxAbsDiff(matmul(h, hinv, n), eye(n))).toBeLessThan(MAX_F64_ERROR);
    expect(maxAbsDiff(matmul(transpose(u, n), u, n), hinv)).toBeLessThan(MAX_F64_ERROR);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(u[i * n + j]).toBe(0);
  });

  it("cholesky(A) throws NotPositiveDefiniteError naming the column for an indefinite or singular matrix", () => {
    let err: unknown;
    try { cholesky(Float64Array.of(1, 2, 2, 1), 2); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(NotPositiveDefiniteError);
    expect(err).toMatchObject({ column: 1, pivot: -3 });
    expect(() => cholesky(Float64Array.of(0, 0, 0, 1), 2)).toThrow(/not positive definite \(pivot 0 at column 0\)/);
    expect(() => cholesky(Float64Array.of(NaN), 1)).toThrow(NotPositiveDefiniteError);
    expect(() => cholesky(new Float64Array(3), 2)).toThrow(RangeError);
  });
});
