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
 *           SIMD sweep uses the 16 bytes after them as scratch (lane offsets: a v128 store and four
 *           scalar loads beat four extract_lane by ~8% on V8 11.3).
 *
 * Pass 1 (stats*): count, power sums S_k = sum (x - shift)^k (k = 1..4) about a host-chosen
 * shift (the pilot mean, so that moments stay accurate when |mean| >> std), min, max, NaN/Inf
 * counts, channel absmax. Decode and extent run on f32x4; powers and sums run on f64x2 (two
 * f64x2 accumulator sets per vector), so each element's d = x - shift and d^k are exact or
 * rounded once in f64 and the sums carry float64 accuracy (DESIGN.md), independent of element
 * order to within f64 rounding (a transposed copy of a tensor gives the same statistics to
 * ~1e-15). A version summing blocks in f32 ran ~1.6x faster but differed by ~1e-7 between
 * element orders; the f64 sums are the product path. Blocks of BLOCK elements restart at every
 * row start; a block whose f64 sums are not finite holds NaN/Inf (f64 powers of f32 values
 * cannot overflow) and is redone by blockSlow, which skips and counts non-finite values.
 *
 * Pass 2 (sweep*): needs the final statistics: zero count, outliers (x < lo or x > hi, bounds
 * precomputed by the host as exact f32 thresholds of |x - mean| > 6 std), histogram bin
 * floor(min(f32(f32(x - hmin) * hscale), bins - 1)) (the host keeps hscale finite; x >= hmin).
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

// block state shared by the reference inner loop and the SIMD tail
let s1: f64 = 0, s2: f64 = 0, s3: f64 = 0, s4: f64 = 0, bmin: f32 = Infinity, bmax: f32 = -Infinity;
// f64 tensor accumulators (loaded from / stored to acc once per call)
let gN: f64 = 0, gS1: f64 = 0, gS2: f64 = 0, gS3: f64 = 0, gS4: f64 = 0;
let gMin: f64 = Infinity, gMax: f64 = -Infinity, gNan: f64 = 0, gInf: f64 = 0;
// finite min/max of the current row
let rMin: f32 = Infinity, rMax: f32 = -Infinity;

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

/** reference inner loop over elements [from, to) of a block; pmin/pmax semantics (NaN ignored) */
// @ts-ignore: decorator
@inline function blockRef(kind: i32, bp: usize, from: i32, to: i32, shift: f64, cp: usize): void {
  const es = esize(kind);
  let t1 = s1, t2 = s2, t3 = s3, t4 = s4, lo = bmin, hi = bmax;
  for (let k = from; k < to; k++) {
    const x = load1(kind, bp + <usize>k * es);
    lo = x < lo ? x : lo;
    hi = hi < x ? x : hi;
    const d = <f64>x - shift;
    const d2 = d * d;
    t1 += d; t2 += d2; t3 += d2 * d; t4 += d2 * d2;
    if (cp) {
      let a = abs<f32>(x);
      if (!(a < Infinity)) a = 0;
      const q = cp + (<usize>k << 2);
      if (load<f32>(q) < a) store<f32>(q, a);
    }
  }
  s1 = t1; s2 = t2; s3 = t3; s4 = t4; bmin = lo; bmax = hi;
}

/** SIMD block: f32x4 decode and extent, f64x2 power sums (low and high halves), tail by blockRef */
// @ts-ignore: decorator
@inline function blockSimd(kind: i32, bp: usize, len: i32, shift: f64, cp: usize, useShift: bool, cols: bool): void {
  const es = esize(kind);
  const sh = f64x2.splat(shift);
  const inf = f32x4.splat(Infinity);
  let a1 = f64x2.splat(0), a2 = a1, a3 = a1, a4 = a1, b1 = a1, b2 = a1, b3 = a1, b4 = a1;
  let mn = f32x4.splat(Infinity), mx = f32x4.splat(-Infinity);
  let k = 0;
  for (; k + 4 <= len; k += 4) {
    const x = load4(kind, bp + <usize>k * es);
    mn = f32x4.pmin(mn, x);
    mx = f32x4.pmax(mx, x);
    let lo = f64x2.promote_low_f32x4(x);
    let hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(x, x, 2, 3, 0, 1));
    if (useShift) { lo = f64x2.sub(lo, sh); hi = f64x2.sub(hi, sh); }
    const lo2 = f64x2.mul(lo, lo);
    const hi2 = f64x2.mul(hi, hi);
    a1 = f64x2.add(a1, lo); a2 = f64x2.add(a2, lo2);
    a3 = f64x2.add(a3, f64x2.mul(lo2, lo)); a4 = f64x2.add(a4, f64x2.mul(lo2, lo2));
    b1 = f64x2.add(b1, hi); b2 = f64x2.add(b2, hi2);
    b3 = f64x2.add(b3, f64x2.mul(hi2, hi)); b4 = f64x2.add(b4, f64x2.mul(hi2, hi2));
    if (cols) {
      const q = cp + (<usize>k << 2);
      let ax = f32x4.abs(x);
      ax = v128.and(ax, f32x4.lt(ax, inf));
      v128.store(q, f32x4.pmax(v128.load(q), ax));
    }
  }
  a1 = f64x2.add(a1, b1); a2 = f64x2.add(a2, b2); a3 = f64x2.add(a3, b3); a4 = f64x2.add(a4, b4);
  s1 = f64x2.extract_lane(a1, 0) + f64x2.extract_lane(a1, 1);
  s2 = f64x2.extract_lane(a2, 0) + f64x2.extract_lane(a2, 1);
  s3 = f64x2.extract_lane(a3, 0) + f64x2.extract_lane(a3, 1);
  s4 = f64x2.extract_lane(a4, 0) + f64x2.extract_lane(a4, 1);
  mn = f32x4.pmin(mn, v128.shuffle<f32>(mn, mn, 2, 3, 0, 1));
  mx = f32x4.pmax(mx, v128.shuffle<f32>(mx, mx, 2, 3, 0, 1));
  bmin = min<f32>(f32x4.extract_lane(mn, 0), f32x4.extract_lane(mn, 1));
  bmax = max<f32>(f32x4.extract_lane(mx, 0), f32x4.extract_lane(mx, 1));
  blockRef(kind, bp, k, len, shift, cp);
}

/** exact f64 redo of a block holding non-finite values or extreme magnitudes */
function blockSlow(kind: i32, bp: usize, len: i32, shift: f64): void {
  const es = esize(kind);
  const c = shift;
  let t1: f64 = 0, t2: f64 = 0, t3: f64 = 0, t4: f64 = 0, n: f64 = 0;
  let lo: f32 = Infinity, hi: f32 = -Infinity;
  for (let k = 0; k < len; k++) {
    const x = load1(kind, bp + <usize>k * es);
    if (x != x) { gNan += 1; continue; }
    if (!(abs<f32>(x) < Infinity)) { gInf += 1; continue; }
    lo = x < lo ? x : lo;
    hi = hi < x ? x : hi;
    const d = <f64>x - c;
    const d2 = d * d;
    n += 1; t1 += d; t2 += d2; t3 += d2 * d; t4 += d2 * d2;
  }
  gN += n; gS1 += t1; gS2 += t2; gS3 += t3; gS4 += t4;
  rMin = lo < rMin ? lo : rMin;
  rMax = rMax < hi ? hi : rMax;
}

/** fold the block sums into the tensor sums, or redo a block holding NaN/Inf exactly */
// @ts-ignore: decorator
@inline function foldBlock(kind: i32, bp: usize, len: i32, shift: f64): void {
  const t = s1 + s2 + s3 + s4; // f64 powers of f32 inputs cannot overflow: non-finite iff NaN/Inf inside
  if (t - t == 0) {
    gN += <f64>len; gS1 += s1; gS2 += s2; gS3 += s3; gS4 += s4;
    rMin = bmin < rMin ? bmin : rMin;
    rMax = rMax < bmax ? bmax : rMax;
  } else {
    blockSlow(kind, bp, len, shift);
  }
}

// ---------------------------------------------------------------------------------------------
// pass 1: rows
// ---------------------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline function loadAcc(acc: usize): void {
  gN = load<f64>(acc, ACC_N); gS1 = load<f64>(acc, ACC_S1); gS2 = load<f64>(acc, ACC_S2);
  gS3 = load<f64>(acc, ACC_S3); gS4 = load<f64>(acc, ACC_S4); gMin = load<f64>(acc, ACC_MIN);
  gMax = load<f64>(acc, ACC_MAX); gNan = load<f64>(acc, ACC_NAN); gInf = load<f64>(acc, ACC_INF);
}

// @ts-ignore: decorator
@inline function storeAcc(acc: usize): void {
  store<f64>(acc, gN, ACC_N); store<f64>(acc, gS1, ACC_S1); store<f64>(acc, gS2, ACC_S2);
  store<f64>(acc, gS3, ACC_S3); store<f64>(acc, gS4, ACC_S4); store<f64>(acc, gMin, ACC_MIN);
  store<f64>(acc, gMax, ACC_MAX); store<f64>(acc, gNan, ACC_NAN); store<f64>(acc, gInf, ACC_INF);
}

// @ts-ignore: decorator
@inline function statsImpl(kind: i32, simd: bool, src: usize, rows: i32, rowLen: i32, shift: f64, acc: usize, colAbs: usize, rowAbs: usize): void {
  const es = esize(kind);
  const useShift = shift != 0;
  loadAcc(acc);
  for (let r = 0; r < rows; r++) {
    const p = src + <usize>r * <usize>rowLen * es;
    rMin = Infinity; rMax = -Infinity;
    for (let j = 0; j < rowLen; j += BLOCK) {
      const len = min<i32>(BLOCK, rowLen - j);
      const bp = p + <usize>j * es;
      const cp = colAbs ? colAbs + (<usize>j << 2) : 0;
      if (simd) {
        if (cp) {
          if (useShift) blockSimd(kind, bp, len, shift, cp, true, true);
          else blockSimd(kind, bp, len, shift, cp, false, true);
        } else {
          if (useShift) blockSimd(kind, bp, len, shift, 0, true, false);
          else blockSimd(kind, bp, len, shift, 0, false, false);
        }
      } else {
        s1 = 0; s2 = 0; s3 = 0; s4 = 0; bmin = Infinity; bmax = -Infinity;
        blockRef(kind, bp, 0, len, shift, cp);
      }
      foldBlock(kind, bp, len, shift);
    }
    if (rowAbs) store<f32>(rowAbs + (<usize>r << 2), rMin <= rMax ? max<f32>(-rMin, rMax) : 0);
    gMin = <f64>rMin < gMin ? <f64>rMin : gMin;
    gMax = gMax < <f64>rMax ? <f64>rMax : gMax;
  }
  storeAcc(acc);
}

/** pass 1 over f32 [rows, rowLen] at src (SIMD) */
export function statsF32(src: usize, rows: i32, rowLen: i32, shift: f64, acc: usize, colAbs: usize, rowAbs: usize): void {
  statsImpl(F32, true, src, rows, rowLen, shift, acc, colAbs, rowAbs);
}
/** pass 1 over f32, scalar reference */
export function statsF32Ref(src: usize, rows: i32, rowLen: i32, shift: f64, acc: usize, colAbs: usize, rowAbs: usize): void {
  statsImpl(F32, false, src, rows, rowLen, shift, acc, colAbs, rowAbs);
}
/** pass 1 over bf16 (SIMD) */
export function statsBf16(src: usize, rows: i32, rowLen: i32, shift: f64, acc: usize, colAbs: usize, rowAbs: usize): void {
  statsImpl(BF16, true, src, rows, rowLen, shift, acc, colAbs, rowAbs);
}
/** pass 1 over bf16, scalar reference */
export function statsBf16Ref(src: usize, rows: i32, rowLen: i32, shift: f64, acc: usize, colAbs: usize, rowAbs: usize): void {
  statsImpl(BF16, false, src, rows, rowLen, shift, acc, colAbs, rowAbs);
}
/** pass 1 over f16 (SIMD) */
export function statsF16(src: usize, rows: i32, rowLen: i32, shift: f64, acc: usize, colAbs: usize, rowAbs: usize): void {
  statsImpl(F16, true, src, rows, rowLen, shift, acc, colAbs, rowAbs);
}
/** pass 1 over f16, scalar reference */
export function statsF16Ref(src: usize, rows: i32, rowLen: i32, shift: f64, acc: usize, colAbs: usize, rowAbs: usize): void {
  statsImpl(F16, false, src, rows, rowLen, shift, acc, colAbs, rowAbs);
}

// ---------------------------------------------------------------------------------------------
// pass 2: zero count, outliers, histogram
// ---------------------------------------------------------------------------------------------

/** reference element step; returns nothing, counts into zc/oc globals */
let zc: f64 = 0, oc: f64 = 0;

// @ts-ignore: decorator
@inline function sweepRef(kind: i32, src: usize, from: i32, to: i32, lo: f32, hi: f32, hmin: f32, hscale: f32, bins: i32, hist: usize, checked: bool): void {
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
  zc += <f64>z; oc += <f64>o;
}

// @ts-ignore: decorator
@inline function sweepImpl(kind: i32, simd: bool, src: usize, n: i32, lo: f32, hi: f32, hmin: f32, hscale: f32, bins: i32, hist: usize, acc: usize, checked: i32): void {
  const es = esize(kind);
  zc = load<f64>(acc, ACC_ZERO); oc = load<f64>(acc, ACC_OUT);
  let k = 0;
  if (simd && !checked) {
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
      zc += <f64>(i32x4.extract_lane(z, 0) + i32x4.extract_lane(z, 1));
      oc += <f64>(i32x4.extract_lane(o, 0) + i32x4.extract_lane(o, 1));
    }
  }
  if (checked) sweepRef(kind, src, k, n, lo, hi, hmin, hscale, bins, hist, true);
  else sweepRef(kind, src, k, n, lo, hi, hmin, hscale, bins, hist, false);
  store<f64>(acc, zc, ACC_ZERO); store<f64>(acc, oc, ACC_OUT);
}

/** pass 2 over n f32 elements (SIMD) */
export function sweepF32(src: usize, n: i32, lo: f32, hi: f32, hmin: f32, hscale: f32, bins: i32, hist: usize, acc: usize, checked: i32): void {
  sweepImpl(F32, true, src, n, lo, hi, hmin, hscale, bins, hist, acc, checked);
}
/** pass 2 over f32, scalar reference */
export function sweepF32Ref(src: usize, n: i32, lo: f32, hi: f32, hmin: f32, hscale: f32, bins: i32, hist: usize, acc: usize, checked: i32): void {
  sweepImpl(F32, false, src, n, lo, hi, hmin, hscale, bins, hist, acc, checked);
}
/** pass 2 over bf16 (SIMD) */
export function sweepBf16(src: usize, n: i32, lo: f32, hi: f32, hmin: f32, hscale: f32, bins: i32, hist: usize, acc: usize, checked: i32): void {
  sweepImpl(BF16, true, src, n, lo, hi, hmin, hscale, bins, hist, acc, checked);
}
/** pass 2 over bf16, scalar reference */
export function sweepBf16Ref(src: usize, n: i32, lo: f32, hi: f32, hmin: f32, hscale: f32, bins: i32, hist: usize, acc: usize, checked: i32): void {
  sweepImpl(BF16, false, src, n, lo, hi, hmin, hscale, bins, hist, acc, checked);
}
/** pass 2 over f16 (SIMD) */
export function sweepF16(src: usize, n: i32, lo: f32, hi: f32, hmin: f32, hscale: f32, bins: i32, hist: usize, acc: usize, checked: i32): void {
  sweepImpl(F16, true, src, n, lo, hi, hmin, hscale, bins, hist, acc, checked);
}
/** pass 2 over f16, scalar reference */
export function sweepF16Ref(src: usize, n: i32, lo: f32, hi: f32, hmin: f32, hscale: f32, bins: i32, hist: usize, acc: usize, checked: i32): void {
  sweepImpl(F16, false, src, n, lo, hi, hmin, hscale, bins, hist, acc, checked);
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
@inline function keysImpl(kind: i32, simd: bool, src: usize, rows: i32, rowLen: i32, keys: usize, colAbs: usize, rowAbs: usize): void {
  const lim: u32 = kind == BF16 ? 0x7f80 : 0x7c00; // |x| patterns at or above are Inf/NaN
  const keys2 = simd ? keys + (65536 << 2) : keys; // odd elements count into a second table
  for (let r = 0; r < rows; r++) {
    const p = src + ((<usize>r * <usize>rowLen) << 1);
    let rmax: u32 = 0;
    let k = 0;
    if (simd) {
      const limv = i16x8.splat(<i16>lim), mask = i16x8.splat(0x7fff);
      let rm = i16x8.splat(0);
      const end = rowLen & ~7;
      // segments of KEY_SEG elements: the key loop, then the channel loop on the same bytes in L1
      for (let s0 = 0; s0 < end; s0 += KEY_SEG) {
        const s1 = min<i32>(end, s0 + KEY_SEG);
        // keys: 8 scalar increments per step, keys read 4 at a time; odd elements in a second table
        for (k = s0; k < s1; k += 8) {
          const q = p + (<usize>k << 1);
          const w0 = load<u64>(q), w1 = load<u64>(q, 8);
          bump(keys, <u32>w0 & 0xffff); bump(keys2, <u32>(w0 >> 16) & 0xffff);
          bump(keys, <u32>(w0 >> 32) & 0xffff); bump(keys2, <u32>(w0 >> 48));
          bump(keys, <u32>w1 & 0xffff); bump(keys2, <u32>(w1 >> 16) & 0xffff);
          bump(keys, <u32>(w1 >> 32) & 0xffff); bump(keys2, <u32>(w1 >> 48));
        }
        // channels: |x| patterns, non-finite masked to 0, u16 max
        for (k = s0; k < s1; k += 8) {
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
      k = end;
      rm = i16x8.max_u(rm, i16x8.shuffle(rm, rm, 4, 5, 6, 7, 0, 1, 2, 3));
      rm = i16x8.max_u(rm, i16x8.shuffle(rm, rm, 2, 3, 0, 1, 2, 3, 0, 1));
      rmax = max<u32>(<u32>i16x8.extract_lane_u(rm, 0), <u32>i16x8.extract_lane_u(rm, 1));
    }
    // reference loop (and the SIMD tail)
    for (; k < rowLen; k++) {
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
    if (rowAbs) store<u16>(rowAbs + (<usize>r << 1), <u16>rmax);
  }
}

// @ts-ignore: decorator
@inline function bump(keys: usize, h: u32): void {
  const c = keys + (<usize>h << 2);
  store<u32>(c, load<u32>(c) + 1);
}

/** key histogram + channel absmax over bf16 [rows, rowLen] (SIMD) */
export function keysBf16(src: usize, rows: i32, rowLen: i32, keys: usize, colAbs: usize, rowAbs: usize): void {
  keysImpl(BF16, true, src, rows, rowLen, keys, colAbs, rowAbs);
}
/** key histogram over bf16, scalar reference */
export function keysBf16Ref(src: usize, rows: i32, rowLen: i32, keys: usize, colAbs: usize, rowAbs: usize): void {
  keysImpl(BF16, false, src, rows, rowLen, keys, colAbs, rowAbs);
}
/** key histogram + channel absmax over f16 [rows, rowLen] (SIMD) */
export function keysF16(src: usize, rows: i32, rowLen: i32, keys: usize, colAbs: usize, rowAbs: usize): void {
  keysImpl(F16, true, src, rows, rowLen, keys, colAbs, rowAbs);
}
/** key histogram over f16, scalar reference */
export function keysF16Ref(src: usize, rows: i32, rowLen: i32, keys: usize, colAbs: usize, rowAbs: usize): void {
  keysImpl(F16, false, src, rows, rowLen, keys, colAbs, rowAbs);
}
