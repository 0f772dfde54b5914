/**
 * stats.ts: fused decode + one-pass tensor statistics, f32 / bf16 / f16, SIMD and scalar twins.
 *
 * Ported in spirit from ggml arch/wasm/quants.c (SIMD body + the reference's scalar tail) and
 * llm.c dev/cuda (each version validated against its *Ref before it is benchmarked).
 *
 * Memory layout (host-managed linear memory; `--runtime stub`, nothing allocated here; the host,
 * lib/kernels/stats-kernel.ts, grows `memory` and passes byte offsets):
 *   src     elements, row-major [rows, rowLen], little-endian, densely packed:
 *           f32 = 4 B, bf16 / f16 = 2 B (raw IEEE half / bfloat16 bits). Any alignment
 *           (v128.load is unaligned-safe; 16 B aligned is faster).
 *   acc     f64[11] accumulators, 8 B aligned (offsets ACC_* below). Kernels ADD into it,
 *           min/max are min/max-merged; the host zeroes it (min = +inf, max = -inf) per tensor.
 *   colAbs  f32[rowLen] column absmax of finite values, max-merged in place; 0 = skip channels.
 *   rowAbs  f32[rows] row absmax of finite values (0 for a row without any), written; 0 = skip.
 *   hist    u32[4 * bins] four lane-private sub-histograms (no store-forward stalls between
 *           lanes); the host sums them. The Ref twin only uses the first one. The
 *           SIMD sweep uses scratch after them: 64 bytes (lane offsets, loop constants) and, for
 *           bins <= 64 and n >= 16 bins^2, 4 u32[bins * bins] pair-key tables (sweepPairs), in all
 *           16 bins + 64 (+ 16 bins^2) bytes (sweepScratchBytes in lib/kernels/stats-kernel.ts).
 *
 * Pass 1 (stats*): count, power sums S_k = sum d^k (k = 1..4) of d = (x - shift) scale about a
 * host-chosen f32 shift (the pilot mean, so that moments stay accurate when |mean| >> std) and
 * power-of-two scale (keeps f32 d^4 in range for tiny or huge tensors; exact), min, max, NaN/Inf
 * counts, channel absmax. Everything runs on f32x4: each block of BLOCK elements is summed in
 * f32 (two sets of four lanes, BLOCK / 8 terms per lane) and its partial sums are folded into the
 * f64 tensor sums ("float64 accumulation" of block partials: a block sum is within
 * (BLOCK / 8 + 7) 2^-24 of sum |d^k|, the f64 fold adds ~2^-53 per block). This runs ~1.6-2x faster
 * than f64x2 lanes. Blocks restart at every row start; a block whose f32 sums are not finite holds
 * NaN/Inf or powers out of f32 range, and is redone exactly in f64 by blockSlow, which skips and
 * counts non-finite values. Column absmax runs in a second loop over the block (still in L1) once
 * the block is known finite, so it needs no NaN/Inf mask then (colBlock); the SIMD path walks
 * rows in pairs so that one colAbs load/store serves two rows (colBlock2).
 * Pass 2 (sweep*): needs the final statistics: zero count, outliers (x < lo or x > hi, bounds
 * precomputed by the host as exact f32 thresholds of |x - mean| > 6 std), histogram bin
 * floor(min(f32(f32(x - hmin) * hscale), bins - 1)) (the host keeps hscale finite; x >= hmin).
 * The histogram's scalar read-modify-writes bound the SIMD sweep, so up to 64 bins it counts
 * pairs of elements as one key of a bins x bins table (half the increments; ~1.6x on the f32
 * bench sweep), folded into the sub-histograms at the end of the call.
 * `checked` = 1 when the tensor holds non-finite values: then every element goes through the
 * scalar path that skips them.
 *
 * Pass 1 for bf16/f16 in the product path (keys*, at the end of this file): a count per bit
 * pattern, from which the host derives every statistic exactly with no pass 2; the stats* and sweep*
 * kernels of those dtypes stay for tests and direct use.
 */

const F32: i32 = 0;
const BF16: i32 = 1;
const F16: i32 = 2;
/** elements per block: the unit of the NaN/Inf check and of the extent fold */
const BLOCK: i32 = 256;
/** elements per key/channel segment of a 16-bit row (8 KiB: stays in L1 between the two loops) */
const KEY_SEG: i32 = 4096;
const ACC_N: i32 = 0, ACC_S1: i32 = 8, ACC_S2: i32 = 16, ACC_S3: i32 = 24, ACC_S4: i32 = 32;
const ACC_MIN: i32 = 40, ACC_MAX: i32 = 48, ACC_NAN: i32 = 56, ACC_INF: i32 = 64;
const ACC_ZERO: i32 = 72, ACC_OUT: i32 = 80;

// No module-level state: the tensor's f64 accumulators are updated in place in the host's acc block
// (addAcc), a block's f32 partial sums and extent travel as v128 values between the helpers below,
// row extents are locals of the row loops.

/** adds v to the f64 accumulator at byte offset `slot` of acc (ACC_*) */
// @ts-ignore: decorator
@inline function addAcc(acc: usize, slot: i32, v: f64): void {
  const p = acc + <usize>slot;
  store<f64>(p, load<f64>(p) + v);
}

// ---------------------------------------------------------------------------------------------
// decode
// ---------------------------------------------------------------------------------------------

/** bfloat16 bits -> f32: the upper half of an f32. */
// @ts-ignore: decorator
@inline function decodeBf16(h: u32): f32 { return reinterpret<f32>(h << 16); }

/** IEEE half bits -> f32, exact for normals, subnormals, inf and NaN payloads (2^112 rebias). */
// @ts-ignore: decorator
@inline function decodeF16(h: u32): f32 {
  const a = (h & 0x7fff) << 13;
  let bits = reinterpret<u32>(reinterpret<f32>(a) * reinterpret<f32>(0x77800000));
  if (a >= 0x0f800000) bits |= 0x7f800000;
  return reinterpret<f32>(bits | ((h & 0x8000) << 16));
}

// @ts-ignore: decorator
@inline function esize(kind: i32): usize { return kind == F32 ? 4 : 2; }

// @ts-ignore: decorator
@inline function load1(kind: i32, p: usize): f32 {
  if (kind == F32) return load<f32>(p);
  if (kind == BF16) return decodeBf16(<u32>load<u16>(p));
  return decodeF16(<u32>load<u16>(p));
}

/** four decoded elements at p, same bits as load1 */
// @ts-ignore: decorator
@inline function load4(kind: i32, p: usize): v128 {
  if (kind == F32) return v128.load(p);
  const w = v128.load16x4_u(p);
  if (kind == BF16) return i32x4.shl(w, 16);
  const a = i32x4.shl(v128.and(w, i32x4.splat(0x7fff)), 13);
  let f = f32x4.mul(a, f32x4.splat(reinterpret<f32>(0x77800000)));
  f = v128.or(f, v128.and(i32x4.ge_u(a, i32x4.splat(0x0f800000)), i32x4.splat(0x7f800000)));
  return v128.or(f, i32x4.shl(v128.and(w, i32x4.splat(0x8000)), 16));
}

/** decode n elements to f32 at dst (used by tests to check decode bit for bit) */
export function decode(kind: i32, src: usize, n: i32, dst: usize, simd: i32): void {
  const es = esize(kind);
  let k = 0;
  if (simd) for (; k + 4 <= n; k += 4) v128.store(dst + (<usize>k << 2), load4(kind, src + <usize>k * es));
  for (; k < n; k++) store<f32>(dst + (<usize>k << 2), load1(kind, src + <usize>k * es));
}

// ---------------------------------------------------------------------------------------------
// pass 1: one block
// ---------------------------------------------------------------------------------------------
//
// A block's f32 partial sums S1..S4 travel as one f32x4 (lanes 0..3), its extent as an f32x4 with
// lo in lane 0 and hi in lane 1; a folded block's result adds lane 2 = 1 when its f32 sums were
// finite (its column absmax may then take the SIMD colBlock), 0 when blockSlow redid it.

/** extent of no element: lo = +inf, hi = -inf */
// @ts-ignore: decorator
@inline function noExtent(): v128 { return f32x4(Infinity, -Infinity, 0, 0); }

/**
 * reference block (the scalar twins' block, and the SIMD block's tail): elements [from, len) of
 * the block at bp continue the f32 sums s of d = (x - shift) scale, d^2, d^3, d^4 (one f32 chain
 * each, lanes 0..3) and the extent e (lo, hi; pmin/pmax semantics: NaN ignored); with cp != 0
 * their column absmax (NaN/Inf masked to 0) is max-merged into colAbs at cp. Then the whole block
 * is folded into acc: returns foldBlock's result.
 */
// @ts-ignore: decorator
@inline function blockRef(kind: i32, bp: usize, from: i32, len: i32, shift: f32, scale: f32, cp: usize, acc: usize, s: v128, e: v128): v128 {
  const es = esize(kind);
  let t1 = f32x4.extract_lane(s, 0), t2 = f32x4.extract_lane(s, 1), t3 = f32x4.extract_lane(s, 2), t4 = f32x4.extract_lane(s, 3);
  let lo = f32x4.extract_lane(e, 0), hi = f32x4.extract_lane(e, 1);
  for (let k = from; k < len; k++) {
    const x = load1(kind, bp + <usize>k * es);
    lo = x < lo ? x : lo;
    hi = hi < x ? x : hi;
    const d = (x - shift) * scale;
    const d2 = d * d;
    t1 += d; t2 += d2; t3 += d2 * d; t4 += d2 * d2;
    if (cp) {
      let a = abs<f32>(x);
      if (!(a < Infinity)) a = 0;
      const q = cp + (<usize>k << 2);
      if (load<f32>(q) < a) store<f32>(q, a);
    }
  }
  const sums = f32x4.replace_lane(f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(t1), 1, t2), 2, t3), 3, t4);
  return foldBlock(kind, bp, len, shift, scale, acc, sums, f32x4.replace_lane(f32x4.replace_lane(e, 0, lo), 1, hi));
}

/** horizontal f32 sum of a + b (the two accumulator sets) */
// @ts-ignore: decorator
@inline function hsum(a: v128, b: v128): f32 {
  const v = f32x4.add(a, b);
  const w = f32x4.add(v, v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(w, 0) + f32x4.extract_lane(w, 1);
}

/**
 * column absmax over a finite block, max-merged into colAbs at cp, after the block's sums (the
 * block is still in L1; keeping this out of the sums loop frees registers there). |x| is taken on
 * the bits (shl 1, shr_u 1: no constant to rematerialise per vector) and merged with i32x4.max_s:
 * for non-negative floats the bit patterns order like the values, and a finite block holds no
 * NaN/Inf patterns. A block with NaN/Inf goes through colBlockRef, which masks them to 0.
 */
// @ts-ignore: decorator
@inline function colBlock(kind: i32, bp: usize, len: i32, cp: usize): void {
  const es = esize(kind);
  let k = 0;
  for (; k + 8 <= len; k += 8) {
    const q = cp + (<usize>k << 2);
    const ax = i32x4.shr_u(i32x4.shl(load4(kind, bp + <usize>k * es), 1), 1);
    const ay = i32x4.shr_u(i32x4.shl(load4(kind, bp + <usize>(k + 4) * es), 1), 1);
    v128.store(q, i32x4.max_s(v128.load(q), ax));
    v128.store(q, i32x4.max_s(v128.load(q, 16), ay), 16);
  }
  colBlockRef(kind, bp, k, len, cp);
}

/**
 * colBlock over the same block of two rows at once (both finite): one load/max/store of colAbs
 * per two data vectors.
 */
// @ts-ignore: decorator
@inline function colBlock2(kind: i32, bp: usize, bq: usize, len: i32, cp: usize): void {
  const es = esize(kind);
  let k = 0;
  for (; k + 8 <= len; k += 8) {
    const q = cp + (<usize>k << 2);
    const o = <usize>k * es, o4 = <usize>(k + 4) * es;
    const ax = i32x4.max_s(i32x4.shr_u(i32x4.shl(load4(kind, bp + o), 1), 1), i32x4.shr_u(i32x4.shl(load4(kind, bq + o), 1), 1));
    const ay = i32x4.max_s(i32x4.shr_u(i32x4.shl(load4(kind, bp + o4), 1), 1), i32x4.shr_u(i32x4.shl(load4(kind, bq + o4), 1), 1));
    v128.store(q, i32x4.max_s(v128.load(q), ax));
    v128.store(q, i32x4.max_s(v128.load(q, 16), ay), 16);
  }
  colBlockRef(kind, bp, k, len, cp);
  colBlockRef(kind, bq, k, len, cp);
}

/** column absmax of elements [from, to) of a block, NaN/Inf masked to 0 (the reference, and the SIMD tail) */
function colBlockRef(kind: i32, bp: usize, from: i32, to: i32, cp: usize): void {
  const es = esize(kind);
  for (let k = from; k < to; k++) {
    let a = abs<f32>(load1(kind, bp + <usize>k * es));
    if (!(a < Infinity)) a = 0;
    const q = cp + (<usize>k << 2);
    if (load<f32>(q) < a) store<f32>(q, a);
  }
}

/**
 * SIMD block: f32x4 decode, extent and powers of d = (x - shift) scale, two sets of f32x4 partial
 * sums (8 elements per step: each lane sums BLOCK / 8 terms), the tail and the fold into acc by
 * blockRef; returns foldBlock's result.
 */
// @ts-ignore: decorator
@inline function blockSimd(kind: i32, bp: usize, len: i32, shift: f32, scale: f32, useShift: bool, useScale: bool, acc: usize): v128 {
  const es = esize(kind);
  const sh = f32x4.splat(shift), sc = f32x4.splat(scale);
  let a1 = f32x4.splat(0), a2 = a1, a3 = a1, a4 = a1, b1 = a1, b2 = a1, b3 = a1, b4 = a1;
  let mn = f32x4.splat(Infinity), mx = f32x4.splat(-Infinity);
  let k = 0;
  for (; k + 8 <= len; k += 8) {
    const x = load4(kind, bp + <usize>k * es);
    const y = load4(kind, bp + <usize>(k + 4) * es);
    // a NaN in x can hide y here; such a block is redone by blockSlow
    mn = f32x4.pmin(mn, f32x4.pmin(x, y));
    mx = f32x4.pmax(mx, f32x4.pmax(x, y));
    let d = x, e = y;
    if (useShift) { d = f32x4.sub(d, sh); e = f32x4.sub(e, sh); }
    if (useScale) { d = f32x4.mul(d, sc); e = f32x4.mul(e, sc); }
    const d2 = f32x4.mul(d, d), e2 = f32x4.mul(e, e);
    a1 = f32x4.add(a1, d); a2 = f32x4.add(a2, d2);
    a3 = f32x4.add(a3, f32x4.mul(d2, d)); a4 = f32x4.add(a4, f32x4.mul(d2, d2));
    b1 = f32x4.add(b1, e); b2 = f32x4.add(b2, e2);
    b3 = f32x4.add(b3, f32x4.mul(e2, e)); b4 = f32x4.add(b4, f32x4.mul(e2, e2));
  }
  if (k + 4 <= len) {
    const x = load4(kind, bp + <usize>k * es);
    mn = f32x4.pmin(mn, x);
    mx = f32x4.pmax(mx, x);
    let d = x;
    if (useShift) d = f32x4.sub(d, sh);
    if (useScale) d = f32x4.mul(d, sc);
    const d2 = f32x4.mul(d, d);
    a1 = f32x4.add(a1, d); a2 = f32x4.add(a2, d2);
    a3 = f32x4.add(a3, f32x4.mul(d2, d)); a4 = f32x4.add(a4, f32x4.mul(d2, d2));
    k += 4;
  }
  const s = f32x4.replace_lane(f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(hsum(a1, b1)), 1, hsum(a2, b2)), 2, hsum(a3, b3)), 3, hsum(a4, b4));
  mn = f32x4.pmin(mn, v128.shuffle<f32>(mn, mn, 2, 3, 0, 1));
  mx = f32x4.pmax(mx, v128.shuffle<f32>(mx, mx, 2, 3, 0, 1));
  let e = f32x4.replace_lane(noExtent(), 0, min<f32>(f32x4.extract_lane(mn, 0), f32x4.extract_lane(mn, 1)));
  e = f32x4.replace_lane(e, 1, max<f32>(f32x4.extract_lane(mx, 0), f32x4.extract_lane(mx, 1)));
  // the tail (len % 4 elements) and the fold as the scalar twin's block
  return blockRef(kind, bp, k, len, shift, scale, 0, acc, s, e);
}

/**
 * exact f64 redo of a block holding non-finite values or f32 powers out of range: skips and counts
 * NaN/Inf, adds its f64 sums and counts into acc; returns the block's finite extent (lo, hi)
 */
function blockSlow(kind: i32, bp: usize, len: i32, shift: f32, scale: f32, acc: usize): v128 {
  const es = esize(kind);
  const c = <f64>shift, sc = <f64>scale;
  let t1: f64 = 0, t2: f64 = 0, t3: f64 = 0, t4: f64 = 0, n: f64 = 0, nan: f64 = 0, inf: f64 = 0;
  let lo: f32 = Infinity, hi: f32 = -Infinity;
  for (let k = 0; k < len; k++) {
    const x = load1(kind, bp + <usize>k * es);
    if (x != x) { nan += 1; continue; }
    if (!(abs<f32>(x) < Infinity)) { inf += 1; continue; }
    lo = x < lo ? x : lo;
    hi = hi < x ? x : hi;
    const d = (<f64>x - c) * sc;
    const d2 = d * d;
    n += 1; t1 += d; t2 += d2; t3 += d2 * d; t4 += d2 * d2;
  }
  addAcc(acc, ACC_NAN, nan); addAcc(acc, ACC_INF, inf);
  addAcc(acc, ACC_N, n); addAcc(acc, ACC_S1, t1); addAcc(acc, ACC_S2, t2); addAcc(acc, ACC_S3, t3); addAcc(acc, ACC_S4, t4);
  return f32x4.replace_lane(f32x4.replace_lane(noExtent(), 0, lo), 1, hi);
}

/**
 * fold a block's f32 sums s into the f64 tensor sums in acc, or redo the block exactly (blockSlow)
 * when they are not finite; returns the block's finite extent with lane 2 = 1 (sums finite) or 0
 */
// @ts-ignore: decorator
@inline function foldBlock(kind: i32, bp: usize, len: i32, shift: f32, scale: f32, acc: usize, s: v128, e: v128): v128 {
  const s1 = f32x4.extract_lane(s, 0), s2 = f32x4.extract_lane(s, 1), s3 = f32x4.extract_lane(s, 2), s4 = f32x4.extract_lane(s, 3);
  const t = s1 + s2 + s3 + s4; // non-finite iff NaN/Inf inside or an f32 power/sum overflowed
  if (t - t == 0) {
    addAcc(acc, ACC_N, <f64>len); addAcc(acc, ACC_S1, <f64>s1); addAcc(acc, ACC_S2, <f64>s2);
    addAcc(acc, ACC_S3, <f64>s3); addAcc(acc, ACC_S4, <f64>s4);
    return f32x4.replace_lane(e, 2, 1);
  }
  return blockSlow(kind, bp, len, shift, scale, acc);
}

// @ts-ignore: decorator
@inline function finite(b: v128): bool { return f32x4.extract_lane(b, 2) != 0; }

// ---------------------------------------------------------------------------------------------
// pass 1: rows
// ---------------------------------------------------------------------------------------------

/** a row's extent lo merged with a block's (lane 0 of b) */
// @ts-ignore: decorator
@inline function mergeLo(lo: f32, b: v128): f32 { const x = f32x4.extract_lane(b, 0); return x < lo ? x : lo; }
/** a row's extent hi merged with a block's (lane 1 of b) */
// @ts-ignore: decorator
@inline function mergeHi(hi: f32, b: v128): f32 { const x = f32x4.extract_lane(b, 1); return hi < x ? x : hi; }

/** end of a row: its absmax into rowAbs, its extent into the tensor's (acc) */
// @ts-ignore: decorator
@inline function endRow(acc: usize, rowAbs: usize, r: i32, lo: f32, hi: f32): void {
  if (rowAbs) store<f32>(rowAbs + (<usize>r << 2), lo <= hi ? max<f32>(-lo, hi) : 0);
  const gMin = load<f64>(acc, ACC_MIN), gMax = load<f64>(acc, ACC_MAX);
  store<f64>(acc, <f64>lo < gMin ? <f64>lo : gMin, ACC_MIN);
  store<f64>(acc, gMax < <f64>hi ? <f64>hi : gMax, ACC_MAX);
}

/**
 * pass 1 over [rows, rowLen] at src, scalar twin (the contract): per row, blocks of BLOCK
 * elements, each summed in one f32 chain per power and folded into acc (blockRef)
 */
// @ts-ignore: decorator
@inline function statsRef(kind: i32, src: usize, rows: i32, rowLen: i32, shift: f32, acc: usize, colAbs: usize, rowAbs: usize, scale: f32): void {
  const es = esize(kind);
  const stride = <usize>rowLen * es;
  for (let r = 0; r < rows; r++) {
    const p = src + <usize>r * stride;
    let lo: f32 = Infinity, hi: f32 = -Infinity;
    for (let j = 0; j < rowLen; j += BLOCK) {
      const len = min<i32>(BLOCK, rowLen - j);
      const bp = p + <usize>j * es;
      const b = blockRef(kind, bp, 0, len, shift, scale, colAbs ? colAbs + (<usize>j << 2) : 0, acc, f32x4.splat(0), noExtent());
      lo = mergeLo(lo, b); hi = mergeHi(hi, b);
    }
    endRow(acc, rowAbs, r, lo, hi);
  }
}

/** pass-1 block of one row (SIMD), folded into acc: foldBlock's result */
// @ts-ignore: decorator
@inline function rowBlockSimd(kind: i32, bp: usize, len: i32, shift: f32, scale: f32, useShift: bool, useScale: bool, acc: usize): v128 {
  // constant flags: each call below inlines its own specialised loop
  if (useScale) return blockSimd(kind, bp, len, shift, scale, true, true, acc);
  if (useShift) return blockSimd(kind, bp, len, shift, scale, true, false, acc);
  return blockSimd(kind, bp, len, shift, scale, false, false, acc);
}

/** pass 1 over [rows, rowLen] at src, SIMD: the same blocks and folds as statsRef */
// @ts-ignore: decorator
@inline function statsSimd(kind: i32, src: usize, rows: i32, rowLen: i32, shift: f32, acc: usize, colAbs: usize, rowAbs: usize, scale: f32): void {
  const es = esize(kind);
  const useShift = shift != 0, useScale = scale != 1;
  const stride = <usize>rowLen * es;
  // rows in pairs, block by block: both rows' blocks are in L1 when colBlock2 merges their
  // column absmax (one colAbs load/store per two vectors)
  for (let r = 0; r < rows; r += 2) {
    const p = src + <usize>r * stride;
    const two = r + 1 < rows;
    let lo0: f32 = Infinity, hi0: f32 = -Infinity, lo1: f32 = Infinity, hi1: f32 = -Infinity;
    for (let j = 0; j < rowLen; j += BLOCK) {
      const len = min<i32>(BLOCK, rowLen - j);
      const bp = p + <usize>j * es, bq = bp + stride;
      const b0 = rowBlockSimd(kind, bp, len, shift, scale, useShift, useScale, acc);
      lo0 = mergeLo(lo0, b0); hi0 = mergeHi(hi0, b0);
      const f0 = finite(b0);
      let f1 = true;
      if (two) {
        const b1 = rowBlockSimd(kind, bq, len, shift, scale, useShift, useScale, acc);
        lo1 = mergeLo(lo1, b1); hi1 = mergeHi(hi1, b1);
        f1 = finite(b1);
      }
      if (colAbs) {
        const cp = colAbs + (<usize>j << 2);
        if (two && f0 && f1) colBlock2(kind, bp, bq, len, cp);
        else {
          if (f0) colBlock(kind, bp, len, cp);
          else colBlockRef(kind, bp, 0, len, cp);
          if (two) {
            if (f1) colBlock(kind, bq, len, cp);
            else colBlockRef(kind, bq, 0, len, cp);
          }
        }
      }
    }
    endRow(acc, rowAbs, r, lo0, hi0);
    if (two) endRow(acc, rowAbs, r + 1, lo1, hi1);
  }
}

/** pass 1 over f32 [rows, rowLen] at src (SIMD) */
export function statsF32(src: usize, rows: i32, rowLen: i32, shift: f32, acc: usize, colAbs: usize, rowAbs: usize, scale: f32): void {
  statsSimd(F32, src, rows, rowLen, shift, acc, colAbs, rowAbs, scale);
}
/** pass 1 over f32, scalar reference */
export function statsF32Ref(src: usize, rows: i32, rowLen: i32, shift: f32, acc: usize, colAbs: usize, rowAbs: usize, scale: f32): void {
  statsRef(F32, src, rows, rowLen, shift, acc, colAbs, rowAbs, scale);
}
/** pass 1 over bf16 (SIMD) */
export function statsBf16(src: usize, rows: i32, rowLen: i32, shift: f32, acc: usize, colAbs: usize, rowAbs: usize, scale: f32): void {
  statsSimd(BF16, src, rows, rowLen, shift, acc, colAbs, rowAbs, scale);
}
/** pass 1 over bf16, scalar reference */
export function statsBf16Ref(src: usize, rows: i32, rowLen: i32, shift: f32, acc: usize, colAbs: usize, rowAbs: usize, scale: f32): void {
  statsRef(BF16, src, rows, rowLen, shift, acc, colAbs, rowAbs, scale);
}
/** pass 1 over f16 (SIMD) */
export function statsF16(src: usize, rows: i32, rowLen: i32, shift: f32, acc: usize, colAbs: usize, rowAbs: usize, scale: f32): void {
  statsSimd(F16, src, rows, rowLen, shift, acc, colAbs, rowAbs, scale);
}
/** pass 1 over f16, scalar reference */
export function statsF16Ref(src: usize, rows: i32, rowLen: i32, shift: f32, acc: usize, colAbs: usize, rowAbs: usize, scale: f32): void {
  statsRef(F16, src, rows, rowLen, shift, acc, colAbs, rowAbs, scale);
}

// ---------------------------------------------------------------------------------------------
// pass 2: zero count, outliers, histogram
// ---------------------------------------------------------------------------------------------

/**
 * pass 2 over elements [from, to), scalar twin (and the SIMD sweep's tail): zero and outlier
 * counts added into acc, histogram into the first sub-histogram at hist; `checked` skips NaN/Inf
 */
// @ts-ignore: decorator
@inline function sweepRef(kind: i32, src: usize, from: i32, to: i32, lo: f32, hi: f32, hmin: f32, hscale: f32, bins: i32, hist: usize, acc: usize, checked: bool): void {
  const es = esize(kind);
  const top = <f32>(bins - 1);
  let z: i32 = 0, o: i32 = 0;
  for (let k = from; k < to; k++) {
    const x = load1(kind, src + <usize>k * es);
    if (checked && !(abs<f32>(x) < Infinity)) continue;
    z += i32(x == 0);
    o += i32(x < lo || x > hi);
    const f = (x - hmin) * hscale;
    const b = <i32>floor<f32>(f < top ? f : top);
    const q = hist + (<usize>b << 2);
    store<u32>(q, load<u32>(q) + 1);
  }
  addAcc(acc, ACC_ZERO, <f64>z); addAcc(acc, ACC_OUT, <f64>o);
}

/** bins up to which the SIMD sweep counts pairs of elements into bins x bins tables (4 lane copies, 64 KiB at 64 bins) */
const PAIR_BINS: i32 = 64;
/** a call takes the pair path from this many elements per table entry (zeroing and folding the tables is O(bins^2)) */
const PAIR_MIN_PER_KEY: i32 = 16;

/**
 * Pair sweep over [k, k + (n - k) & ~15), 16 elements a step: vectors x, y (and u, w) go lane by
 * lane into one key bx * bins + by of lane l's private u32[bins * bins] table: one memory increment
 * per two elements (the histogram RMWs, not the arithmetic, bound the one-key-per-element loop).
 * Zero and outlier counts as in sweepSimd, added into acc. The tables are zeroed here and folded
 * at the end into the 4 public sub-histograms (row sums count x's bins, column sums y's): the same
 * counts as sweepRef. Scratch at hist + 16 bins: 64 B of loop constants, then the tables (16 bins^2 B).
 * Returns the first element left to the caller's tail.
 */
// @ts-ignore: decorator
@inline function sweepPairs(kind: i32, src: usize, k: i32, n: i32, lo: f32, hi: f32, hmin: f32, hscale: f32, bins: i32, hist: usize, acc: usize): i32 {
  const es = esize(kind);
  const lov = f32x4.splat(lo), hiv = f32x4.splat(hi), minv = f32x4.splat(hmin);
  const scv = f32x4.splat(hscale), top = f32x4.splat(<f32>(bins - 1)), zero = f32x4.splat(0);
  // loop constants kept in memory at hist + 16 bins: V8 (11.3) rematerialises v128 constants inside
  // the loop (3 instructions each, and a multiply for the lane bases); a load is one micro-op
  const keys = bins * bins;
  const cst = hist + (<usize>bins << 4);
  const tab = cst + 64;
  // byte address of lane l's table: added to 4 x key, no per-lane scalar add in the loop
  v128.store(cst, i32x4.add(i32x4.mul(i32x4(0, 1, 2, 3), i32x4.splat(keys << 2)), i32x4.splat(<i32>tab)));
  v128.store(cst, f32x4.splat(8388608.0), 16);
  v128.store(cst, i32x4.splat(0x7fffff), 32);
  v128.store(cst, f32x4.splat(<f32>bins), 48);
  memory.fill(tab, 0, <usize>keys << 4);
  while (k + 16 <= n) {
    // i32 lane counters fold into f64 every 2^19 steps (no overflow)
    const end = k + min<i32>((n - k) & ~15, 1 << 23);
    let z = i32x4.splat(0), o = z;
    for (; k < end; k += 16) {
      const p = src + <usize>k * es;
      const x = load4(kind, p), y = load4(kind, p + 4 * es);
      const u = load4(kind, p + 8 * es), w = load4(kind, p + 12 * es);
      z = i32x4.sub(z, i32x4.add(i32x4.add(f32x4.eq(x, zero), f32x4.eq(y, zero)), i32x4.add(f32x4.eq(u, zero), f32x4.eq(w, zero))));
      o = i32x4.sub(o, i32x4.add(
        i32x4.add(v128.or(f32x4.lt(x, lov), f32x4.gt(x, hiv)), v128.or(f32x4.lt(y, lov), f32x4.gt(y, hiv))),
        i32x4.add(v128.or(f32x4.lt(u, lov), f32x4.gt(u, hiv)), v128.or(f32x4.lt(w, lov), f32x4.gt(w, hiv)))));
      // bin = floor(min(f, bins - 1)); key = bx * bins + by < 2^12 exact in f32, read from the
      // mantissa of key + 2^23
      const bx = f32x4.floor(f32x4.pmin(top, f32x4.mul(f32x4.sub(x, minv), scv)));
      const by = f32x4.floor(f32x4.pmin(top, f32x4.mul(f32x4.sub(y, minv), scv)));
      const bu = f32x4.floor(f32x4.pmin(top, f32x4.mul(f32x4.sub(u, minv), scv)));
      const bw = f32x4.floor(f32x4.pmin(top, f32x4.mul(f32x4.sub(w, minv), scv)));
      const kx = f32x4.add(f32x4.add(f32x4.mul(bx, v128.load(cst, 48)), by), v128.load(cst, 16));
      const ku = f32x4.add(f32x4.add(f32x4.mul(bu, v128.load(cst, 48)), bw), v128.load(cst, 16));
      const q = i32x4.add(i32x4.shl(v128.and(kx, v128.load(cst, 32)), 2), v128.load(cst));
      const r = i32x4.add(i32x4.shl(v128.and(ku, v128.load(cst, 32)), 2), v128.load(cst));
      const q0 = <usize>i32x4.extract_lane(q, 0);
      store<u32>(q0, load<u32>(q0) + 1);
      const q1 = <usize>i32x4.extract_lane(q, 1);
      store<u32>(q1, load<u32>(q1) + 1);
      const q2 = <usize>i32x4.extract_lane(q, 2);
      store<u32>(q2, load<u32>(q2) + 1);
      const q3 = <usize>i32x4.extract_lane(q, 3);
      store<u32>(q3, load<u32>(q3) + 1);
      const r0 = <usize>i32x4.extract_lane(r, 0);
      store<u32>(r0, load<u32>(r0) + 1);
      const r1 = <usize>i32x4.extract_lane(r, 1);
      store<u32>(r1, load<u32>(r1) + 1);
      const r2 = <usize>i32x4.extract_lane(r, 2);
      store<u32>(r2, load<u32>(r2) + 1);
      const r3 = <usize>i32x4.extract_lane(r, 3);
      store<u32>(r3, load<u32>(r3) + 1);
    }
    z = i32x4.add(z, i32x4.shuffle(z, z, 2, 3, 0, 1));
    o = i32x4.add(o, i32x4.shuffle(o, o, 2, 3, 0, 1));
    addAcc(acc, ACC_ZERO, <f64>(i32x4.extract_lane(z, 0) + i32x4.extract_lane(z, 1)));
    addAcc(acc, ACC_OUT, <f64>(i32x4.extract_lane(o, 0) + i32x4.extract_lane(o, 1)));
  }
  // fold: table l entry (i, j) counts an x in bin i and a y in bin j, into public copy l
  for (let l = 0; l < 4; l++) {
    const t = tab + (<usize>(l * keys) << 2), h = hist + (<usize>(l * bins) << 2);
    for (let i = 0; i < bins; i++) {
      const r = t + (<usize>(i * bins) << 2);
      let row: u32 = 0;
      for (let j = 0; j < bins; j++) {
        const c = load<u32>(r + (<usize>j << 2));
        row += c;
        const hj = h + (<usize>j << 2);
        store<u32>(hj, load<u32>(hj) + c);
      }
      const hi_ = h + (<usize>i << 2);
      store<u32>(hi_, load<u32>(hi_) + row);
    }
  }
  return k;
}

/**
 * pass 2 over n elements, SIMD: pair keys when the O(bins^2) table setup/fold is small against n,
 * else one key per element; a tensor with NaN/Inf (`checked`) and the tail go through sweepRef
 */
// @ts-ignore: decorator
@inline function sweepSimd(kind: i32, src: usize, n: i32, lo: f32, hi: f32, hmin: f32, hscale: f32, bins: i32, hist: usize, acc: usize, checked: i32): void {
  const es = esize(kind);
  let k = 0;
  if (!checked && bins <= PAIR_BINS && n >= bins * bins * PAIR_MIN_PER_KEY) {
    k = sweepPairs(kind, src, k, n, lo, hi, hmin, hscale, bins, hist, acc);
  } else if (!checked) {
    const lov = f32x4.splat(lo), hiv = f32x4.splat(hi), minv = f32x4.splat(hmin);
    const scv = f32x4.splat(hscale), top = f32x4.splat(<f32>(bins - 1)), zero = f32x4.splat(0);
    const magic = f32x4.splat(8388608.0);
    const scratch = hist + (<usize>bins << 4);
    const lane = i32x4.replace_lane(i32x4.replace_lane(i32x4.replace_lane(i32x4.splat(0), 1, bins << 2), 2, bins << 3), 3, bins * 12);
    while (k + 4 <= n) {
      // i32 lane counters fold into f64 every 2^20 vectors (no overflow)
      const end = min<i32>(n & ~3, k + (1 << 22));
      let z = i32x4.splat(0), o = z;
      for (; k < end; k += 4) {
        const x = load4(kind, src + <usize>k * es);
        z = i32x4.sub(z, f32x4.eq(x, zero));
        o = i32x4.sub(o, v128.or(f32x4.lt(x, lov), f32x4.gt(x, hiv)));
        // bin = floor(min(f, bins - 1)) read from the mantissa of floor(..) + 2^23 (exact, f >= 0)
        const f = f32x4.floor(f32x4.pmin(top, f32x4.mul(f32x4.sub(x, minv), scv)));
        const b = v128.and(f32x4.add(f, magic), i32x4.splat(0x7fffff));
        const off = i32x4.add(i32x4.shl(b, 2), lane);
        v128.store(scratch, off);
        const q0 = hist + <usize>load<u32>(scratch);
        store<u32>(q0, load<u32>(q0) + 1);
        const q1 = hist + <usize>load<u32>(scratch, 4);
        store<u32>(q1, load<u32>(q1) + 1);
        const q2 = hist + <usize>load<u32>(scratch, 8);
        store<u32>(q2, load<u32>(q2) + 1);
        const q3 = hist + <usize>load<u32>(scratch, 12);
        store<u32>(q3, load<u32>(q3) + 1);
      }
      z = i32x4.add(z, i32x4.shuffle(z, z, 2, 3, 0, 1));
      o = i32x4.add(o, i32x4.shuffle(o, o, 2, 3, 0, 1));
      addAcc(acc, ACC_ZERO, <f64>(i32x4.extract_lane(z, 0) + i32x4.extract_lane(z, 1)));
      addAcc(acc, ACC_OUT, <f64>(i32x4.extract_lane(o, 0) + i32x4.extract_lane(o, 1)));
    }
  }
  // the rest (all of a checked tensor) as the scalar twin
  if (checked) sweepRef(kind, src, k, n, lo, hi, hmin, hscale, bins, hist, acc, true);
  else sweepRef(kind, src, k, n, lo, hi, hmin, hscale, bins, hist, acc, false);
}

/** pass 2 over n elements, scalar twin: sweepRef over all of them (constant `checked` specialises it) */
// @ts-ignore: decorator
@inline function sweepAllRef(kind: i32, src: usize, n: i32, lo: f32, hi: f32, hmin: f32, hscale: f32, bins: i32, hist: usize, acc: usize, checked: i32): void {
  if (checked) sweepRef(kind, src, 0, n, lo, hi, hmin, hscale, bins, hist, acc, true);
  else sweepRef(kind, src, 0, n, lo, hi, hmin, hscale, bins, hist, acc, false);
}

/** pass 2 over n f32 elements (SIMD) */
export function sweepF32(src: usize, n: i32, lo: f32, hi: f32, hmin: f32, hscale: f32, bins: i32, hist: usize, acc: usize, checked: i32): void {
  sweepSimd(F32, src, n, lo, hi, hmin, hscale, bins, hist, acc, checked);
}
/** pass 2 over f32, scalar reference */
export function sweepF32Ref(src: usize, n: i32, lo: f32, hi: f32, hmin: f32, hscale: f32, bins: i32, hist: usize, acc: usize, checked: i32): void {
  sweepAllRef(F32, src, n, lo, hi, hmin, hscale, bins, hist, acc, checked);
}
/** pass 2 over bf16 (SIMD) */
export function sweepBf16(src: usize, n: i32, lo: f32, hi: f32, hmin: f32, hscale: f32, bins: i32, hist: usize, acc: usize, checked: i32): void {
  sweepSimd(BF16, src, n, lo, hi, hmin, hscale, bins, hist, acc, checked);
}
/** pass 2 over bf16, scalar reference */
export function sweepBf16Ref(src: usize, n: i32, lo: f32, hi: f32, hmin: f32, hscale: f32, bins: i32, hist: usize, acc: usize, checked: i32): void {
  sweepAllRef(BF16, src, n, lo, hi, hmin, hscale, bins, hist, acc, checked);
}
/** pass 2 over f16 (SIMD) */
export function sweepF16(src: usize, n: i32, lo: f32, hi: f32, hmin: f32, hscale: f32, bins: i32, hist: usize, acc: usize, checked: i32): void {
  sweepSimd(F16, src, n, lo, hi, hmin, hscale, bins, hist, acc, checked);
}
/** pass 2 over f16, scalar reference */
export function sweepF16Ref(src: usize, n: i32, lo: f32, hi: f32, hmin: f32, hscale: f32, bins: i32, hist: usize, acc: usize, checked: i32): void {
  sweepAllRef(F16, src, n, lo, hi, hmin, hscale, bins, hist, acc, checked);
}

// ---------------------------------------------------------------------------------------------
// pass 1 for 16-bit floats (bf16, f16): key histogram + channel absmax
// ---------------------------------------------------------------------------------------------
//
// A 16-bit float has 65536 possible values, so counting each bit pattern (u32 keys[65536] at
// `keys`, 256 KiB, L2-resident) captures the tensor exactly: the host derives count, moments
// (two-pass, f64), extent, NaN/Inf/zero counts, histogram and outliers from the counts, with no
// second pass over the data. Channel absmax is kept as u16 bit patterns of |x| (monotone for
// non-negative floats; non-finite patterns masked to 0): colAbs u16[rowLen], rowAbs u16[rows].

// @ts-ignore: decorator
@inline function bump(keys: usize, h: u32): void {
  const c = keys + (<usize>h << 2);
  store<u32>(c, load<u32>(c) + 1);
}

/** |x| patterns at or above this are Inf/NaN */
// @ts-ignore: decorator
@inline function keyLimit(kind: i32): u32 { return kind == BF16 ? 0x7f80 : 0x7c00; }

/**
 * reference loop over elements [from, rowLen) of the 16-bit row at p (the scalar twin's loop and
 * the SIMD tail): keys, colAbs; returns the row's absmax pattern, continued from rmax
 */
// @ts-ignore: decorator
@inline function keysRowRef(kind: i32, p: usize, from: i32, rowLen: i32, keys: usize, colAbs: usize, rmax: u32): u32 {
  const lim = keyLimit(kind);
  for (let k = from; k < rowLen; k++) {
    const h = <u32>load<u16>(p + (<usize>k << 1));
    bump(keys, h);
    let a = h & 0x7fff;
    if (a >= lim) a = 0;
    rmax = max<u32>(rmax, a);
    if (colAbs) {
      const c = colAbs + (<usize>k << 1);
      if (<u32>load<u16>(c) < a) store<u16>(c, <u16>a);
    }
  }
  return rmax;
}

/** key histogram + channel absmax over [rows, rowLen] at src, scalar twin */
// @ts-ignore: decorator
@inline function keysRef(kind: i32, src: usize, rows: i32, rowLen: i32, keys: usize, colAbs: usize, rowAbs: usize): void {
  for (let r = 0; r < rows; r++) {
    const rmax = keysRowRef(kind, src + ((<usize>r * <usize>rowLen) << 1), 0, rowLen, keys, colAbs, 0);
    if (rowAbs) store<u16>(rowAbs + (<usize>r << 1), <u16>rmax);
  }
}

/** key histogram + channel absmax, SIMD: odd elements count into a second table at keys + 256 KiB (the host adds them) */
// @ts-ignore: decorator
@inline function keysSimd(kind: i32, src: usize, rows: i32, rowLen: i32, keys: usize, colAbs: usize, rowAbs: usize): void {
  const lim = keyLimit(kind);
  const keys2 = keys + (65536 << 2);
  for (let r = 0; r < rows; r++) {
    const p = src + ((<usize>r * <usize>rowLen) << 1);
    const limv = i16x8.splat(<i16>lim), mask = i16x8.splat(0x7fff);
    let rm = i16x8.splat(0);
    const end = rowLen & ~7;
    // segments of KEY_SEG elements: the key loop, then the channel loop on the same bytes in L1
    for (let s0 = 0; s0 < end; s0 += KEY_SEG) {
      const s1 = min<i32>(end, s0 + KEY_SEG);
      // keys: 8 scalar increments per step, keys read 4 at a time; odd elements in a second table
      for (let k = s0; k < s1; k += 8) {
        const q = p + (<usize>k << 1);
        const w0 = load<u64>(q), w1 = load<u64>(q, 8);
        bump(keys, <u32>w0 & 0xffff); bump(keys2, <u32>(w0 >> 16) & 0xffff);
        bump(keys, <u32>(w0 >> 32) & 0xffff); bump(keys2, <u32>(w0 >> 48));
        bump(keys, <u32>w1 & 0xffff); bump(keys2, <u32>(w1 >> 16) & 0xffff);
        bump(keys, <u32>(w1 >> 32) & 0xffff); bump(keys2, <u32>(w1 >> 48));
      }
      // channels: |x| patterns, non-finite masked to 0, u16 max
      for (let k = s0; k < s1; k += 8) {
        const q = p + (<usize>k << 1);
        const a = v128.and(v128.load(q), mask);
        const f = v128.and(a, i16x8.lt_u(a, limv));
        rm = i16x8.max_u(rm, f);
        if (colAbs) {
          const c = colAbs + (<usize>k << 1);
          v128.store(c, i16x8.max_u(v128.load(c), f));
        }
      }
    }
    rm = i16x8.max_u(rm, i16x8.shuffle(rm, rm, 4, 5, 6, 7, 0, 1, 2, 3));
    rm = i16x8.max_u(rm, i16x8.shuffle(rm, rm, 2, 3, 0, 1, 2, 3, 0, 1));
    const rmax = max<u32>(<u32>i16x8.extract_lane_u(rm, 0), <u32>i16x8.extract_lane_u(rm, 1));
    // the tail (rowLen % 8 elements) as the scalar twin
    const all = keysRowRef(kind, p, end, rowLen, keys, colAbs, rmax);
    if (rowAbs) store<u16>(rowAbs + (<usize>r << 1), <u16>all);
  }
}

/** key histogram + channel absmax over bf16 [rows, rowLen] (SIMD) */
export function keysBf16(src: usize, rows: i32, rowLen: i32, keys: usize, colAbs: usize, rowAbs: usize): void {
  keysSimd(BF16, src, rows, rowLen, keys, colAbs, rowAbs);
}
/** key histogram over bf16, scalar reference */
export function keysBf16Ref(src: usize, rows: i32, rowLen: i32, keys: usize, colAbs: usize, rowAbs: usize): void {
  keysRef(BF16, src, rows, rowLen, keys, colAbs, rowAbs);
}
/** key histogram + channel absmax over f16 [rows, rowLen] (SIMD) */
export function keysF16(src: usize, rows: i32, rowLen: i32, keys: usize, colAbs: usize, rowAbs: usize): void {
  keysSimd(F16, src, rows, rowLen, keys, colAbs, rowAbs);
}
/** key histogram over f16, scalar reference */
export function keysF16Ref(src: usize, rows: i32, rowLen: i32, keys: usize, colAbs: usize, rowAbs: usize): void {
  keysRef(F16, src, rows, rowLen, keys, colAbs, rowAbs);
}
