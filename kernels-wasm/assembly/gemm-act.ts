/**
 * gemm-act.ts: per-token asymmetric quantization of f32 activations (Qllm-Eval's WA semantics) in
 * wasm, step for step as lib/quant/round.ts computes it in JS (f32 arithmetic, half to even), so the
 * codes, scales and zeros equal lib/quant's quantizeActivations bit for bit. A library file
 * (kernels-wasm/build.mjs builds it into gemm.wasm through gemm.ts's re-export).
 *
 * Memory layout: x f32 [m, k] row-major (unpadded); codes u8 [m, k] row-major; tok [m] x 8 B:
 * f32 scale, i32 zero (gemm.ts's `tok`). Per token (maxq = 2^b - 1):
 *   min, max over the finite values (none: 0, 0)
 *   scale = f32(max(f32(max - min), 1e-5) / maxq); zero = clamp(-nearest(f32(min / scale)), 0, maxq)
 *   code  = clamp(nearest(f32(x / scale)) + zero, 0, maxq), NaN -> zero
 */

/** 1e-5 as f32: lib/quant/round.ts SCALE_FLOOR */
const SCALE_FLOOR: f32 = 1e-5;

/** scale and zero of one token from its finite [min, max] (min > max: no finite value), stored at tk */
// @ts-ignore: decorator
@inline function storeParams(xmin: f32, xmax: f32, maxq: i32, tk: usize): f32 {
  if (xmin > xmax) { xmin = 0; xmax = 0; }
  const scale = max<f32>(xmax - xmin, SCALE_FLOOR) / <f32>maxq;
  let z = -nearest(xmin / scale);
  z = z < 0 ? 0 : z > <f32>maxq ? <f32>maxq : z;
  store<f32>(tk, scale);
  store<i32>(tk, <i32>z, 4);
  return scale;
}

/** code of v: clamp(nearest(v / scale) + zero, 0, maxq), NaN -> zero (round.ts quantizeRange) */
// @ts-ignore: decorator
@inline function codeRef(v: f32, scale: f32, zero: i32, maxq: i32): i32 {
  const c = nearest(v / scale) + <f32>zero;
  return c < 0 ? 0 : c > <f32>maxq ? maxq : c == c ? <i32>c : zero;
}

/** codes and tok of tokens [m) of x [m, k], one scalar loop per step: quantActs' twin */
export function quantActsRef(x: usize, m: i32, k: i32, maxq: i32, codes: usize, tok: usize): void {
  for (let t = 0; t < m; t++) {
    const xt = x + (<usize>t * k << 2), ct = codes + <usize>t * k;
    let xmin = f32.POSITIVE_INFINITY, xmax = f32.NEGATIVE_INFINITY;
    for (let j = 0; j < k; j++) {
      const v = load<f32>(xt + (<usize>j << 2));
      if (v < xmin && v != f32.NEGATIVE_INFINITY) xmin = v;
      if (v > xmax && v != f32.POSITIVE_INFINITY) xmax = v;
    }
    const scale = storeParams(xmin, xmax, maxq, tok + (<usize>t << 3)), zero = load<i32>(tok + (<usize>t << 3), 4);
    for (let j = 0; j < k; j++) store<u8>(ct + j, <u8>codeRef(load<f32>(xt + (<usize>j << 2)), scale, zero, maxq));
  }
}

/**
 * quantActsRef with SIMD bodies: min / max over 4 lanes with non-finite lanes masked to ±inf, codes
 * 16 at a time (f32x4.div and nearest are IEEE, so each lane equals the scalar step; NaN lanes are
 * replaced by the zero and the clamp runs in f32 before the integer conversion); tails as the twin.
 */
export function quantActs(x: usize, m: i32, k: i32, maxq: i32, codes: usize, tok: usize): void {
  const inf = f32x4.splat(f32.POSITIVE_INFINITY), ninf = f32x4.splat(f32.NEGATIVE_INFINITY);
  for (let t = 0; t < m; t++) {
    const xt = x + (<usize>t * k << 2), ct = codes + <usize>t * k;
    let vmin = inf, vmax = ninf, j = 0;
    for (; j + 4 <= k; j += 4) {
      const v = v128.load(xt + (<usize>j << 2));
      const fin = f32x4.lt(f32x4.abs(v), inf); // false for NaN and ±inf
      vmin = f32x4.min(vmin, v128.bitselect(v, inf, fin));
      vmax = f32x4.max(vmax, v128.bitselect(v, ninf, fin));
    }
    let xmin = min<f32>(min<f32>(f32x4.extract_lane(vmin, 0), f32x4.extract_lane(vmin, 1)), min<f32>(f32x4.extract_lane(vmin, 2), f32x4.extract_lane(vmin, 3)));
    let xmax = max<f32>(max<f32>(f32x4.extract_lane(vmax, 0), f32x4.extract_lane(vmax, 1)), max<f32>(f32x4.extract_lane(vmax, 2), f32x4.extract_lane(vmax, 3)));
    for (; j < k; j++) {
      const v = load<f32>(xt + (<usize>j << 2));
      if (v < xmin && v != f32.NEGATIVE_INFINITY) xmin = v;
      if (v > xmax && v != f32.POSITIVE_INFINITY) xmax = v;
    }
    const scale = storeParams(xmin, xmax, maxq, tok + (<usize>t << 3)), zero = load<i32>(tok + (<usize>t << 3), 4);
    const sv = f32x4.splat(scale), zf = f32x4.splat(<f32>zero);
    const lo = f32x4.splat(0), hi = f32x4.splat(<f32>maxq);
    j = 0;
    for (; j + 16 <= k; j += 16) {
      const p = xt + (<usize>j << 2);
      const c0 = codes4(v128.load(p), sv, zf, lo, hi), c1 = codes4(v128.load(p, 16), sv, zf, lo, hi);
      const c2 = codes4(v128.load(p, 32), sv, zf, lo, hi), c3 = codes4(v128.load(p, 48), sv, zf, lo, hi);
      v128.store(ct + j, i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_u(c0, c1), i16x8.narrow_i32x4_u(c2, c3)));
    }
    for (; j < k; j++) store<u8>(ct + j, <u8>codeRef(load<f32>(xt + (<usize>j << 2)), scale, zero, maxq));
  }
}

/** 2^23 as f32: adding it to an integer-valued f32 in [0, 255] puts that integer in the low mantissa bits */
const MAGIC: f32 = 8388608;

/**
 * 4 codes as i32 lanes: nearest(v / s) + zero, NaN lanes -> zero, clamped to [0, maxq] in f32,
 * then converted by adding 2^23 and masking the low byte (cheaper than trunc_sat on x64)
 */
// @ts-ignore: decorator
@inline function codes4(v: v128, sv: v128, zf: v128, lo: v128, hi: v128): v128 {
  let c = f32x4.add(f32x4.nearest(f32x4.div(v, sv)), zf);
  c = f32x4.pmin(f32x4.pmax(v128.bitselect(zf, c, f32x4.ne(c, c)), lo), hi);
  return v128.and(f32x4.add(c, f32x4.splat(MAGIC)), i32x4.splat(255));
}
