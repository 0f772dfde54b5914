/**
 * Read-order layouts of kernels-wasm/assembly/gemm.ts (its top comment block is the spec): rows in
 * blocks of 4, K chunks interleaved so each 16-byte load feeds one row's accumulator, groups padded
 * to whole chunks, plus the per (block, group) meta records. Pure functions on typed arrays, so
 * tests can check them without wasm.
 */
import type { PackedMatrix } from "./types.ts";

/**
 * Largest group of an integer kernel: |sum (cw - zw)(ca - za)| <= g 255^2 must stay below 2^31
 * (exact i32 group sums); 33025 * 255^2 < 2^31, rounded down to a power of two.
 */
export const MAX_INT_GROUP_SIZE = 32768;
/** bytes of one (block, group) meta record: f32x4 scales, i32x4 zeros, i32x4 code sums */
export const META_BYTES = 48;

export interface Layout {
  bits: 32 | 8 | 4;
  rows: number;
  cols: number;
  groupSize: number;
  /** groups per row */
  ng: number;
  /** padded group length (codes): multiple of 16 (8-bit) or 32 (4-bit); f32: kp */
  gp: number;
  /** padded row length ng * gp */
  kp: number;
  /** rows rounded up to whole blocks of 4 */
  np: number;
  /** bytes of the weight blocks */
  weightBytes: number;
  /** bytes of the meta records (0 for f32) */
  metaBytes: number;
}

const up = (v: number, m: number) => Math.ceil(v / m) * m;

/** Layout of an f32 matrix [rows, cols]: K padded to a multiple of 8 (two 4-float chunks per step). */
export function f32Layout(rows: number, cols: number): Layout {
  const kp = up(cols, 8), np = up(rows, 4);
  return { bits: 32, rows, cols, groupSize: cols, ng: 1, gp: kp, kp, np, weightBytes: np * kp * 4, metaBytes: 0 };
}

/** Layout of a packed matrix: groups along K padded to whole 16-byte chunks of one row. */
export function packedLayout(bits: 4 | 8, rows: number, cols: number, groupSize: number): Layout {
  const ng = cols / groupSize, gp = up(groupSize, bits === 8 ? 16 : 32), kp = ng * gp, np = up(rows, 4);
  return { bits, rows, cols, groupSize, ng, gp, kp, np, weightBytes: (np * kp * bits) / 8, metaBytes: (np / 4) * ng * META_BYTES };
}

/** W [rows, cols] row-major -> dst (layout.weightBytes / 4 floats, zero-filled by the caller) in block order. */
export function layoutF32(w: Float32Array, l: Layout, dst: Float32Array): void {
  const { rows, cols, kp } = l;
  for (let i = 0; i < rows; i++) {
    const base = (i >> 2) * 4 * kp + (i & 3) * 4, src = i * cols;
    for (let k = 0; k < cols; k++) dst[base + (k >> 2) * 16 + (k & 3)] = w[src + k]!;
  }
}

/** Code at column j of row i of a PackedMatrix (4-bit: even column in the low nibble). */
export function packedCode(p: PackedMatrix, i: number, j: number): number {
  if (p.bits === 8) return p.data[i * p.rowBytes + j]!;
  return (p.data[i * p.rowBytes + (j >> 1)]! >> ((j & 1) << 2)) & 15;
}

/**
 * PackedMatrix -> weight blocks `dst` (zero-filled by the caller) and meta records (`metaF`/`metaI`:
 * f32 / i32 views of the same bytes, zero-filled), as gemm.ts reads them.
 */
export function layoutPacked(p: PackedMatrix, l: Layout, dst: Uint8Array, metaF: Float32Array, metaI: Int32Array): void {
  const { rows, groupSize: g, ng, gp, kp } = l;
  const w8 = p.bits === 8;
  for (let i = 0; i < rows; i++) {
    const r = i & 3, blk = i >> 2;
    for (let gi = 0; gi < ng; gi++) {
      let sum = 0;
      const gbase = w8 ? blk * 4 * kp + gi * 4 * gp + r * 16 : blk * 2 * kp + gi * 2 * gp + r * 16;
      for (let k = 0; k < g; k++) {
        const c = packedCode(p, i, gi * g + k);
        sum += c;
        if (w8) dst[gbase + (k >> 4) * 64 + (k & 15)] = c;
        // u16 lane (k & 7) of the 32-code chunk holds codes k & 7 + 0, 8, 16, 24 in bits 0, 4, 8, 12
        else dst[gbase + (k >> 5) * 64 + ((k & 7) << 1) + ((k >> 4) & 1)]! |= (k & 8) ? c << 4 : c;
      }
      const m = (blk * ng + gi) * (META_BYTES / 4);
      metaF[m + r] = p.scales[i * ng + gi]!;
      metaI[m + 4 + r] = p.zeros[i * ng + gi]!;
      metaI[m + 8 + r] = sum;
    }
  }
}

/** Throws a RangeError naming the first inconsistency of `p` (sizes, group, zero points). */
export function validatePacked(p: PackedMatrix): void {
  const fail = (msg: string) => { throw new RangeError(`gemm kernel: packed matrix ${p.rows}x${p.cols}: ${msg}`); };
  if (p.bits !== 4 && p.bits !== 8) fail(`bits ${p.bits} is not 4 or 8`);
  if (!(Number.isInteger(p.rows) && p.rows > 0 && Number.isInteger(p.cols) && p.cols > 0)) fail("rows and cols must be positive integers");
  if (!(Number.isInteger(p.groupSize) && p.groupSize > 0 && p.cols % p.groupSize === 0)) fail(`groupSize ${p.groupSize} does not divide cols`);
  if (p.groupSize > MAX_INT_GROUP_SIZE) fail(`groupSize ${p.groupSize} above MAX_INT_GROUP_SIZE ${MAX_INT_GROUP_SIZE}`);
  const rowBytes = p.bits === 8 ? p.cols : Math.ceil(p.cols / 2);
  if (p.rowBytes !== rowBytes) fail(`rowBytes ${p.rowBytes}, expected ${rowBytes}`);
  if (p.data.length !== p.rows * rowBytes) fail(`data has ${p.data.length} bytes, expected ${p.rows * rowBytes}`);
  const ng = p.rows * (p.cols / p.groupSize);
  if (p.scales.length !== ng || p.zeros.length !== ng) fail(`scales/zeros have ${p.scales.length}/${p.zeros.length} entries, expected ${ng}`);
  const zmax = 2 ** p.bits - 1;
  for (let i = 0; i < ng; i++) {
    const z = p.zeros[i]!;
    if (!(Number.isInteger(z) && z >= 0 && z <= zmax)) fail(`zero ${z} at group ${i} is not an integer in [0, ${zmax}]`);
  }
}
