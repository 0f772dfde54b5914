/**
 * gemm.ts: y[M, N] = x[M, K] W[N, K]^T for f32, W8A8, W4A8 and weight-only W8/W4 x f32, each SIMD
 * kernel next to its scalar `*Ref` twin of the same signature (the twin is the contract).
 *
 * Ported in spirit from ggml arch/wasm/quants.c (SIMD body + the reference's scalar tail) and
 * llm.c dev/cuda (every version validated against its *Ref before it is timed: bench/gemm.ts).
 *
 * Memory layout (memory imported from env.memory and owned by the host, lib/kernels/gemm-kernel.ts,
 * which passes byte offsets; `--runtime stub`, nothing allocated here, no static data):
 *   Rows of W come in blocks of 4 (block b = rows 4b..4b+3, Np = ceil(N / 4) * 4, padding rows zero)
 *   so that consecutive 16-byte loads feed four independent accumulators (lanes = rows).
 *   f32 W   block stride 16 Kp bytes, Kp = ceil(K / 8) * 8; chunk c (k = 4c..4c+3) at 64 c, row r's
 *           four floats at 64 c + 16 r. Padding (k >= K) is zero.
 *   W8      groups of g along K padded to gp = ceil(g / 16) * 16 codes, Kp = ng * gp; block stride
 *           4 Kp bytes, group gi at 4 gp gi, chunk c (k = 16c..16c+15 of the group) at 64 c, row r's
 *           16 codes at 64 c + 16 r.
 *   W4      gp = ceil(g / 32) * 32; block stride 2 Kp bytes, group gi at 2 gp gi, chunk c (32 codes,
 *           k = 32c..32c+31) at 64 c, row r's 16 bytes at 64 c + 16 r, read as 8 u16 lanes: lane j
 *           holds codes j, 8 + j, 16 + j, 24 + j in bits 0-3, 4-7, 8-11, 12-15, so a shift and a
 *           mask give 8 codes in natural order as i16 lanes. Padding codes are zero.
 *   meta    per (block, group), 48 B at 48 (b ng + gi): f32x4 scales, i32x4 zeros, i32x4 code sums
 *           (sum of the group's real codes per row; gemm-relaxed.ts uses them), lane = row r; zero
 *           for padding rows.
 *   x f32   [M, Kp] f32, group-padded like W (pads zero): token t at 4 Kp t.
 *   a16     [M, Kp] i16 activation codes minus the token's zero (ca - za in [-255, 255]),
 *           group-padded (pads zero), from prepA (A16 = 0).
 *   a8s     [M, Kp] i8 activation codes - 128, group-padded (pads zero), from prepA (A8S = 1),
 *           in the byte order of the W4 chunks (a8sPos): the low nibbles of a chunk's 16 bytes are
 *           codes 0-7 and 16-23 interleaved, the high nibbles codes 8-15 and 24-31. gemm-relaxed.ts reads these.
 *   asum    [M, ng] i32: sum of the group's activation codes - g * zero (Sa' below).
 *   tok     [M] x 8 B: f32 activation scale, i32 activation zero.
 *   y       [M, N] f32, row-major, written (not accumulated).
 *   scratch kernels with several tokens: one 4-row block at a time, widened to i16 (integer kernels:
 *           8 Kp bytes, gemmI16) or dequantized to f32 in the f32 W layout (weight-only: 16 Kp bytes);
 *           0 = decode in the inner loop instead.
 * Every load is v128.load (unaligned-safe); the host keeps everything 16-byte aligned.
 * Several tokens: the kernels walk token tiles (gemm-common.ts tokenTile: activations of about
 * 512 KiB, an even token count) and, per tile, every 4-row block; each output is still summed by
 * one block-kernel call, so tiles change no result.
 * f32 activations are quantized per token here too (gemm-act.ts quantActs: lib/quant's codes bit
 * for bit), before prepA; gemm-relaxed.ts holds the relaxed-SIMD kernels on the same layouts.
 *
 * Integer semantics (the *Ref twins, exact): per row n, group gi,
 *   isum = sum_k (cw - zw)(ca - za) in i32 (|isum| <= g 255^2 < 2^31 for g <= 33025),
 *   y = y + f32(isum) * (sw * sa), groups in order, y starting at 0.
 * The SIMD kernels compute isum = sum cw (ca - za) - zw Sa' (Sa' = sum (ca - za); i32 wraps, the
 * result is exact) and the same f32 steps lane by lane, so they equal the twins bit for bit.
 * Weight-only (*F32) and f32 kernels sum in a different order than their twins: compare those
 * within a tolerance.
 */

import { A16, A8S, META, a8sPos, codeW4, codeW8, deqBlock, groupEpilogue, hsum4f, hsum4i, nib0, nib1, nib2, nib3, tokenTile } from "./gemm-common";

// activation quantization (f32 -> per-token codes, lib/quant semantics): gemm-act.ts
export { quantActs, quantActsRef } from "./gemm-act";

// ---------------------------------------------------------------------------------------------
// f32: y = x W^T
// ---------------------------------------------------------------------------------------------

/** reference inner loop: row i of W (block layout) dot token xt, one f32 chain */
// @ts-ignore: decorator
@inline function rowF32Ref(w: usize, kp: i32, i: i32, xt: usize): f32 {
  const wb = w + <usize>(i >> 2) * 16 * kp + ((<usize>i & 3) << 4);
  let acc: f32 = 0;
  for (let k = 0; k < kp; k++) acc += load<f32>(wb + ((<usize>k >> 2) << 6) + ((<usize>k & 3) << 2)) * load<f32>(xt + (<usize>k << 2));
  return acc;
}

/** y[m, n] = x[m, kp] W[n, kp]^T, f32, scalar twin */
export function gemmF32Ref(w: usize, n: i32, kp: i32, x: usize, m: i32, y: usize): void {
  for (let t = 0; t < m; t++) {
    for (let i = 0; i < n; i++) store<f32>(y + (<usize>(t * n + i) << 2), rowF32Ref(w, kp, i, x + <usize>t * kp * 4));
  }
}

/**
 * y[t, col0..col0+3] for all m tokens from one 4-row block of f32 weights at wb (f32 layout, kp):
 * tokens in pairs (each weight load feeds two tokens: 4 rows x 2 tokens of accumulators), an odd
 * last token with 4 rows x 2 chunks of accumulators.
 */
// @ts-ignore: decorator
@inline function blockF32(wb: usize, kp: i32, x: usize, m: i32, y: usize, n: i32, col0: i32): void {
  const xs = <usize>kp * 4;
  let t = 0;
  for (; t + 1 < m; t += 2) {
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    let b0 = f32x4.splat(0), b1 = f32x4.splat(0), b2 = f32x4.splat(0), b3 = f32x4.splat(0);
    let pw = wb, px = x + <usize>t * xs, qx = px + xs;
    const end = px + xs;
    for (; px < end; px += 16, qx += 16, pw += 64) {
      const x0 = v128.load(px), x1 = v128.load(qx);
      let c = v128.load(pw);
      a0 = f32x4.add(a0, f32x4.mul(c, x0)); b0 = f32x4.add(b0, f32x4.mul(c, x1));
      c = v128.load(pw, 16);
      a1 = f32x4.add(a1, f32x4.mul(c, x0)); b1 = f32x4.add(b1, f32x4.mul(c, x1));
      c = v128.load(pw, 32);
      a2 = f32x4.add(a2, f32x4.mul(c, x0)); b2 = f32x4.add(b2, f32x4.mul(c, x1));
      c = v128.load(pw, 48);
      a3 = f32x4.add(a3, f32x4.mul(c, x0)); b3 = f32x4.add(b3, f32x4.mul(c, x1));
    }
    v128.store(y + (<usize>(t * n + col0) << 2), hsum4f(a0, a1, a2, a3));
    v128.store(y + (<usize>((t + 1) * n + col0) << 2), hsum4f(b0, b1, b2, b3));
  }
  if (t < m) {
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    let b0 = f32x4.splat(0), b1 = f32x4.splat(0), b2 = f32x4.splat(0), b3 = f32x4.splat(0);
    let pw = wb, px = x + <usize>t * xs;
    const end = px + xs;
    for (; px < end; px += 32, pw += 128) {
      const x0 = v128.load(px), x1 = v128.load(px, 16);
      a0 = f32x4.add(a0, f32x4.mul(v128.load(pw), x0));
      a1 = f32x4.add(a1, f32x4.mul(v128.load(pw, 16), x0));
      a2 = f32x4.add(a2, f32x4.mul(v128.load(pw, 32), x0));
      a3 = f32x4.add(a3, f32x4.mul(v128.load(pw, 48), x0));
      b0 = f32x4.add(b0, f32x4.mul(v128.load(pw, 64), x1));
      b1 = f32x4.add(b1, f32x4.mul(v128.load(pw, 80), x1));
      b2 = f32x4.add(b2, f32x4.mul(v128.load(pw, 96), x1));
      b3 = f32x4.add(b3, f32x4.mul(v128.load(pw, 112), x1));
    }
    v128.store(y + (<usize>(t * n + col0) << 2), hsum4f(f32x4.add(a0, b0), f32x4.add(a1, b1), f32x4.add(a2, b2), f32x4.add(a3, b3)));
  }
}

/** y[m, n] = x[m, kp] W[n, kp]^T, f32, blocks of 4 rows by blockF32; rows past the last full block by rowF32Ref */
export function gemmF32(w: usize, n: i32, kp: i32, x: usize, m: i32, y: usize): void {
  const nb = n >> 2, tt = tokenTile(kp * 4, m, 2), xs = <usize>kp * 4;
  // token tiles (an even count: the same token pairs as gemmF32V1, so the same sums) that stay in L2 while every block passes
  for (let t0 = 0; t0 < m; t0 += tt) {
    const mt = min(tt, m - t0), xt = x + <usize>t0 * xs, yt = y + (<usize>t0 * n << 2);
    for (let b = 0; b < nb; b++) blockF32(w + <usize>b * 16 * kp, kp, xt, mt, yt, n, b << 2);
  }
  for (let t = 0; t < m; t++) {
    for (let i = nb << 2; i < n; i++) store<f32>(y + (<usize>(t * n + i) << 2), rowF32Ref(w, kp, i, x + <usize>t * kp * 4));
  }
}

/** gemmF32 v1 (kept llm.c-style as the baseline of bench/gemm-shapes.ts): every block over all m tokens, no token tiles; the same sums */
export function gemmF32V1(w: usize, n: i32, kp: i32, x: usize, m: i32, y: usize): void {
  const nb = n >> 2;
  for (let b = 0; b < nb; b++) blockF32(w + <usize>b * 16 * kp, kp, x, m, y, n, b << 2);
  for (let t = 0; t < m; t++) {
    for (let i = nb << 2; i < n; i++) store<f32>(y + (<usize>(t * n + i) << 2), rowF32Ref(w, kp, i, x + <usize>t * kp * 4));
  }
}

// ---------------------------------------------------------------------------------------------
// activations: codes -> a16 / a8s, group sums
// ---------------------------------------------------------------------------------------------

/**
 * reference A16 loop over group-local columns [from, gp) of one group (codes at src, output at
 * i16 index o of dst): code - za as i16, pads zero; returns s plus the sum of those (code - za)
 */
// @ts-ignore: decorator
@inline function prepGroupA16Ref(src: usize, dst: usize, o: usize, from: i32, g: i32, gp: i32, za: i32, s: i32): i32 {
  for (let j = from; j < gp; j++) {
    const d = j < g ? <i32>load<u8>(src + j) - za : 0;
    s += d;
    store<i16>(dst + ((o + j) << 1), <i16>d);
  }
  return s;
}

/** reference A8S loop over one group: code - 128 as i8 at its a8sPos, pads zero; returns the sum of (code - za) */
// @ts-ignore: decorator
@inline function prepGroupA8SRef(src: usize, dst: usize, o: usize, g: i32, gp: i32, za: i32): i32 {
  let s = 0;
  for (let j = 0; j < gp; j++) {
    const c = j < g ? <i32>load<u8>(src + j) : 0;
    s += j < g ? c - za : 0;
    store<i8>(dst + o + a8sPos(j), <i8>(j < g ? c - 128 : 0));
  }
  return s;
}

/**
 * codes u8 [m, k] (k = ng g) -> dst [m, ng gp] in format A16 (i16 code - zero) or A8S (i8 code - 128),
 * pads zero; asum[m, ng] = sum of the group's (code - zero) (zero from tok). O(m k), once per call.
 * Scalar twin of prepA (the same bytes).
 */
export function prepARef(codes: usize, m: i32, ng: i32, g: i32, gp: i32, tok: usize, dst: usize, asum: usize, format: i32): void {
  const k = ng * g, kp = ng * gp;
  for (let t = 0; t < m; t++) {
    const za = load<i32>(tok + (<usize>t << 3), 4);
    for (let gi = 0; gi < ng; gi++) {
      const src = codes + <usize>t * k + gi * g, o = <usize>t * kp + gi * gp;
      const s = format == A16 ? prepGroupA16Ref(src, dst, o, 0, g, gp, za, 0) : prepGroupA8SRef(src, dst, o, g, gp, za);
      store<i32>(asum + (<usize>(t * ng + gi) << 2), s);
    }
  }
}

/**
 * prepA with a SIMD body for A16 (one-process A/B: W8A8 M=128 calls 1-3% faster than with the
 * scalar loop), finished by prepARef's loop; A8S is prepARef's loop.
 */
export function prepA(codes: usize, m: i32, ng: i32, g: i32, gp: i32, tok: usize, dst: usize, asum: usize, format: i32): void {
  const k = ng * g, kp = ng * gp;
  for (let t = 0; t < m; t++) {
    const za = load<i32>(tok + (<usize>t << 3), 4);
    for (let gi = 0; gi < ng; gi++) {
      const src = codes + <usize>t * k + gi * g, o = <usize>t * kp + gi * gp;
      let s = 0;
      if (format == A16) {
        // SIMD body: 16 codes -> two i16x8 of code - za, their sum widened pairwise (|lo + hi| <= 510)
        const zv = i16x8.splat(<i16>za);
        let acc = i32x4.splat(0), j = 0;
        for (; j + 16 <= g; j += 16) {
          const v = v128.load(src + j);
          const lo = i16x8.sub(i16x8.extend_low_i8x16_u(v), zv), hi = i16x8.sub(i16x8.extend_high_i8x16_u(v), zv);
          v128.store(dst + ((o + j) << 1), lo);
          v128.store(dst + ((o + j) << 1), hi, 16);
          acc = i32x4.add(acc, i32x4.extadd_pairwise_i16x8_s(i16x8.add(lo, hi)));
        }
        s = i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3);
        // the rest (and padding) as the scalar twin: s sums code - za
        s = prepGroupA16Ref(src, dst, o, j, g, gp, za, s);
      } else {
        s = prepGroupA8SRef(src, dst, o, g, gp, za);
      }
      store<i32>(asum + (<usize>(t * ng + gi) << 2), s);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// W8A8
// ---------------------------------------------------------------------------------------------

/** reference inner loop: row i, token at xt (a16: ca - za), exact i32 group sums, f32 combination */
// @ts-ignore: decorator
@inline function rowW8A8Ref(w: usize, meta: usize, ng: i32, gp: i32, g: i32, i: i32, xt: usize, sa: f32): f32 {
  const wb = w + <usize>(i >> 2) * 4 * ng * gp + ((<usize>i & 3) << 4);
  let acc: f32 = 0;
  for (let gi = 0; gi < ng; gi++) {
    const mt = meta + <usize>((i >> 2) * ng + gi) * META + ((<usize>i & 3) << 2);
    const zw = load<i32>(mt, 16);
    let isum = 0;
    for (let k = 0; k < g; k++) isum += (codeW8(wb, gi, gp, k) - zw) * <i32>load<i16>(xt + (<usize>(gi * gp + k) << 1));
    acc += <f32>isum * (load<f32>(mt) * sa);
  }
  return acc;
}

/** y[m, n] = dequant(a)[m, k] dequant(W)[n, k]^T, W8A8, scalar twin (exact integer group sums) */
export function gemmW8A8Ref(w: usize, meta: usize, n: i32, ng: i32, gp: i32, g: i32, xa: usize, asum: usize, tok: usize, m: i32, y: usize, scratch: usize): void {
  for (let t = 0; t < m; t++) {
    const sa = load<f32>(tok + (<usize>t << 3));
    for (let i = 0; i < n; i++) store<f32>(y + (<usize>(t * n + i) << 2), rowW8A8Ref(w, meta, ng, gp, g, i, xa + <usize>t * ng * gp * 2, sa));
  }
}

/** y lanes (4 rows of block wb, one token), codes widened in the loop: v1's body, and v2's for a single token */
// @ts-ignore: decorator
@inline function blockW8A8x1(wb: usize, mb: usize, ng: i32, gp: i32, xt: usize, st: usize, sa: v128): v128 {
  let yv = f32x4.splat(0);
  for (let gi = 0; gi < ng; gi++) {
    let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
    let pw = wb + <usize>gi * 4 * gp, px = xt + <usize>gi * gp * 2;
    const end = px + <usize>gp * 2;
    for (; px < end; px += 32, pw += 64) {
      const xl = v128.load(px), xh = v128.load(px, 16);
      a0 = i32x4.add(a0, i32x4.add(i32x4.dot_i16x8_s(v128.load8x8_u(pw), xl), i32x4.dot_i16x8_s(v128.load8x8_u(pw, 8), xh)));
      a1 = i32x4.add(a1, i32x4.add(i32x4.dot_i16x8_s(v128.load8x8_u(pw, 16), xl), i32x4.dot_i16x8_s(v128.load8x8_u(pw, 24), xh)));
      a2 = i32x4.add(a2, i32x4.add(i32x4.dot_i16x8_s(v128.load8x8_u(pw, 32), xl), i32x4.dot_i16x8_s(v128.load8x8_u(pw, 40), xh)));
      a3 = i32x4.add(a3, i32x4.add(i32x4.dot_i16x8_s(v128.load8x8_u(pw, 48), xl), i32x4.dot_i16x8_s(v128.load8x8_u(pw, 56), xh)));
    }
    yv = groupEpilogue(yv, hsum4i(a0, a1, a2, a3), mb + <usize>gi * META, i32x4.splat(load<i32>(st + (<usize>gi << 2))), sa);
  }
  return yv;
}

/** acc + dot(i16 codes w, i16 activations x) */
// @ts-ignore: decorator
@inline function dot4(acc: v128, w: v128, x: v128): v128 {
  return i32x4.add(acc, i32x4.dot_i16x8_s(w, x));
}

/** acc + dot(i16 codes w, i16 activations at px) */
// @ts-ignore: decorator
@inline function dot2(acc: v128, w: v128, px: usize): v128 {
  return i32x4.add(acc, i32x4.dot_i16x8_s(w, v128.load(px)));
}

/**
 * rows r, r+1 as i16x8 of 8 codes each (nr, ns) -> two vectors at q, q + 32: codes 0-3 of both rows,
 * then codes 4-7 (gemmI16's scratch order; rows r+2, r+3 go 16 bytes after each)
 */
// @ts-ignore: decorator
@inline function storeRowPair(q: usize, nr: v128, ns: v128): void {
  v128.store(q, v128.shuffle<i64>(nr, ns, 0, 2));
  v128.store(q, v128.shuffle<i64>(nr, ns, 1, 3), 32);
}

/** one token's step of 4 codes: acc01 / acc23 += dot(rows' codes, the token's 4 codes broadcast twice) */
// @ts-ignore: decorator
@inline function dotQuad(acc: v128, w: v128, x: v128): v128 {
  return i32x4.add(acc, i32x4.dot_i16x8_s(w, x));
}

/** [r0, r1, r2, r3] from acc01 = [r0, r0, r1, r1] and acc23 = [r2, r2, r3, r3] partial sums */
// @ts-ignore: decorator
@inline function rowSums(acc01: v128, acc23: v128): v128 {
  return i32x4.add(v128.shuffle<i32>(acc01, acc23, 0, 2, 4, 6), v128.shuffle<i32>(acc01, acc23, 1, 3, 5, 7));
}

/**
 * Several tokens (W8A8 / W4A8 v2): each 4-row block is widened once to i16 in scratch (8 Kp bytes,
 * stays in L1) in steps of 4 codes: at 32 s, codes 4s..4s+3 of rows 0 and 1 (one vector), then of
 * rows 2 and 3. A token's 4 codes, loaded with load64_splat ([x0x1, x2x3, x0x1, x2x3]), feed
 * dot_i16x8_s with both vectors: each i32 lane then sums one row's pairs, so the group's row sums
 * need 3 ops instead of a 4 x 4 transpose-add. Tokens go 4 at a time (8 accumulators, 6 loads and
 * 16 vector ops per 64 MACs), the last 1-3 one at a time over the same scratch.
 */
// @ts-ignore: decorator
@inline function gemmI16(bits: i32, w: usize, meta: usize, n: i32, ng: i32, gp: i32, g: i32, xa: usize, asum: usize, tok: usize, m: i32, y: usize, scr: usize): void {
  const nb = n >> 2, kp = ng * gp, xs = <usize>kp * 2, bw: usize = bits == 8 ? 4 : 2, ss = <usize>ng * 4;
  // token tiles (a multiple of 4) whose activations stay in L2; each block is widened again per tile
  const tt = tokenTile(kp * 2, m, 4);
  for (let t0 = 0; t0 < m; t0 += tt) {
    const t1 = min(m, t0 + tt);
    for (let b = 0; b < nb; b++) {
      const wb = w + <usize>b * bw * kp, mb = meta + <usize>b * ng * META;
      // widen the block: 8 codes of 4 rows (64 bytes of scratch) at a time
      if (bits == 8) {
        for (let c = 0; c < kp >> 4; c++) {
          const pw = wb + (<usize>c << 6), q = scr + (<usize>c << 7);
          storeRowPair(q, v128.load8x8_u(pw), v128.load8x8_u(pw, 16));
          storeRowPair(q + 16, v128.load8x8_u(pw, 32), v128.load8x8_u(pw, 48));
          storeRowPair(q + 64, v128.load8x8_u(pw, 8), v128.load8x8_u(pw, 24));
          storeRowPair(q + 80, v128.load8x8_u(pw, 40), v128.load8x8_u(pw, 56));
        }
      } else {
        for (let c = 0; c < kp >> 5; c++) {
          const pw = wb + (<usize>c << 6), q = scr + (<usize>c << 8);
          const v0 = v128.load(pw), v1 = v128.load(pw, 16), v2 = v128.load(pw, 32), v3 = v128.load(pw, 48);
          storeRowPair(q, nib0(v0), nib0(v1));
          storeRowPair(q + 16, nib0(v2), nib0(v3));
          storeRowPair(q + 64, nib1(v0), nib1(v1));
          storeRowPair(q + 80, nib1(v2), nib1(v3));
          storeRowPair(q + 128, nib2(v0), nib2(v1));
          storeRowPair(q + 144, nib2(v2), nib2(v3));
          storeRowPair(q + 192, nib3(v0), nib3(v1));
          storeRowPair(q + 208, nib3(v2), nib3(v3));
        }
      }
      let t = t0;
      for (; t + 3 < t1; t += 4) {
        const tk = tok + (<usize>t << 3);
        const sa0 = f32x4.splat(load<f32>(tk)), sa1 = f32x4.splat(load<f32>(tk, 8));
        const sa2 = f32x4.splat(load<f32>(tk, 16)), sa3 = f32x4.splat(load<f32>(tk, 24));
        const x0 = xa + <usize>t * xs, st = asum + <usize>t * ss;
        let y0 = f32x4.splat(0), y1 = f32x4.splat(0), y2 = f32x4.splat(0), y3 = f32x4.splat(0);
        for (let gi = 0; gi < ng; gi++) {
          let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
          let b0 = i32x4.splat(0), b1 = i32x4.splat(0), b2 = i32x4.splat(0), b3 = i32x4.splat(0);
          let pw = scr + <usize>gi * gp * 8, p0 = x0 + <usize>gi * gp * 2;
          let p1 = p0 + xs, p2 = p1 + xs, p3 = p2 + xs;
          const end = p0 + <usize>gp * 2;
          // 8 codes (two steps) per iteration: a* = rows 0-1, b* = rows 2-3 of tokens t..t+3
          for (; p0 < end; p0 += 16, p1 += 16, p2 += 16, p3 += 16, pw += 64) {
            let w01 = v128.load(pw), w23 = v128.load(pw, 16);
            let x = v128.load64_splat(p0);
            a0 = dotQuad(a0, w01, x); b0 = dotQuad(b0, w23, x);
            x = v128.load64_splat(p1);
            a1 = dotQuad(a1, w01, x); b1 = dotQuad(b1, w23, x);
            x = v128.load64_splat(p2);
            a2 = dotQuad(a2, w01, x); b2 = dotQuad(b2, w23, x);
            x = v128.load64_splat(p3);
            a3 = dotQuad(a3, w01, x); b3 = dotQuad(b3, w23, x);
            w01 = v128.load(pw, 32); w23 = v128.load(pw, 48);
            x = v128.load64_splat(p0, 8);
            a0 = dotQuad(a0, w01, x); b0 = dotQuad(b0, w23, x);
            x = v128.load64_splat(p1, 8);
            a1 = dotQuad(a1, w01, x); b1 = dotQuad(b1, w23, x);
            x = v128.load64_splat(p2, 8);
            a2 = dotQuad(a2, w01, x); b2 = dotQuad(b2, w23, x);
            x = v128.load64_splat(p3, 8);
            a3 = dotQuad(a3, w01, x); b3 = dotQuad(b3, w23, x);
          }
          const mt = mb + <usize>gi * META, sg = st + (<usize>gi << 2);
          y0 = groupEpilogue(y0, rowSums(a0, b0), mt, i32x4.splat(load<i32>(sg)), sa0);
          y1 = groupEpilogue(y1, rowSums(a1, b1), mt, i32x4.splat(load<i32>(sg + ss)), sa1);
          y2 = groupEpilogue(y2, rowSums(a2, b2), mt, i32x4.splat(load<i32>(sg + 2 * ss)), sa2);
          y3 = groupEpilogue(y3, rowSums(a3, b3), mt, i32x4.splat(load<i32>(sg + 3 * ss)), sa3);
        }
        const yt = y + (<usize>(t * n + 4 * b) << 2), ys = <usize>n << 2;
        v128.store(yt, y0);
        v128.store(yt + ys, y1);
        v128.store(yt + 2 * ys, y2);
        v128.store(yt + 3 * ys, y3);
      }
      for (; t < t1; t++) {
        const sa = f32x4.splat(load<f32>(tok + (<usize>t << 3)));
        const x0 = xa + <usize>t * xs, st = asum + <usize>t * ss;
        let yv = f32x4.splat(0);
        for (let gi = 0; gi < ng; gi++) {
          let a0 = i32x4.splat(0), b0 = i32x4.splat(0);
          let pw = scr + <usize>gi * gp * 8, px = x0 + <usize>gi * gp * 2;
          const end = px + <usize>gp * 2;
          for (; px < end; px += 8, pw += 32) {
            const x = v128.load64_splat(px);
            a0 = dotQuad(a0, v128.load(pw), x); b0 = dotQuad(b0, v128.load(pw, 16), x);
          }
          yv = groupEpilogue(yv, rowSums(a0, b0), mb + <usize>gi * META, i32x4.splat(load<i32>(st + (<usize>gi << 2))), sa);
        }
        v128.store(y + (<usize>(t * n + 4 * b) << 2), yv);
      }
    }
  }
  for (let t = 0; t < m; t++) {
    const sa = load<f32>(tok + (<usize>t << 3));
    for (let i = nb << 2; i < n; i++) {
      const xt = xa + <usize>t * xs;
      store<f32>(y + (<usize>(t * n + i) << 2), bits == 8 ? rowW8A8Ref(w, meta, ng, gp, g, i, xt, sa) : rowW4A8Ref(w, meta, ng, gp, g, i, xt, sa));
    }
  }
}

/**
 * W8A8 SIMD v2: several tokens with scratch: gemmI16; one token: v1's body (codes widened in the
 * loop: the matrix is read once, from memory). Same result as gemmW8A8Ref.
 */
export function gemmW8A8(w: usize, meta: usize, n: i32, ng: i32, gp: i32, g: i32, xa: usize, asum: usize, tok: usize, m: i32, y: usize, scratch: usize): void {
  if (m > 1 && scratch) gemmI16(8, w, meta, n, ng, gp, g, xa, asum, tok, m, y, scratch);
  else gemmW8A8V1(w, meta, n, ng, gp, g, xa, asum, tok, m, y, 0);
}

/**
 * W8A8 SIMD v1 (kept while v2 is developed, llm.c style; bench/gemm.ts times both): per block of 4
 * rows and token, per group: codes widened by load8x8_u, i32x4.dot_i16x8_s with the i16
 * activations (products <= 255 * 510, pairs fit i32), 4 row accumulators; the group epilogue applies
 * the zero correction and scales to 4 rows at once. Same result as gemmW8A8Ref.
 */
export function gemmW8A8V1(w: usize, meta: usize, n: i32, ng: i32, gp: i32, g: i32, xa: usize, asum: usize, tok: usize, m: i32, y: usize, scratch: usize): void {
  const nb = n >> 2, kp = ng * gp;
  for (let b = 0; b < nb; b++) {
    const wb = w + <usize>b * 4 * kp, mb = meta + <usize>b * ng * META;
    for (let t = 0; t < m; t++) {
      const sa = f32x4.splat(load<f32>(tok + (<usize>t << 3)));
      v128.store(y + (<usize>(t * n + 4 * b) << 2), blockW8A8x1(wb, mb, ng, gp, xa + <usize>t * kp * 2, asum + <usize>t * ng * 4, sa));
    }
  }
  for (let t = 0; t < m; t++) {
    const sa = load<f32>(tok + (<usize>t << 3));
    for (let i = nb << 2; i < n; i++) store<f32>(y + (<usize>(t * n + i) << 2), rowW8A8Ref(w, meta, ng, gp, g, i, xa + <usize>t * kp * 2, sa));
  }
}

// ---------------------------------------------------------------------------------------------
// W4A8
// ---------------------------------------------------------------------------------------------

/** reference inner loop of W4A8: as rowW8A8Ref with 4-bit codes */
// @ts-ignore: decorator
@inline function rowW4A8Ref(w: usize, meta: usize, ng: i32, gp: i32, g: i32, i: i32, xt: usize, sa: f32): f32 {
  const wb = w + <usize>(i >> 2) * 2 * ng * gp + ((<usize>i & 3) << 4);
  let acc: f32 = 0;
  for (let gi = 0; gi < ng; gi++) {
    const mt = meta + <usize>((i >> 2) * ng + gi) * META + ((<usize>i & 3) << 2);
    const zw = load<i32>(mt, 16);
    let isum = 0;
    for (let k = 0; k < g; k++) isum += (codeW4(wb, gi, gp, k) - zw) * <i32>load<i16>(xt + (<usize>(gi * gp + k) << 1));
    acc += <f32>isum * (load<f32>(mt) * sa);
  }
  return acc;
}

/** W4A8 scalar twin (exact integer group sums) */
export function gemmW4A8Ref(w: usize, meta: usize, n: i32, ng: i32, gp: i32, g: i32, xa: usize, asum: usize, tok: usize, m: i32, y: usize, scratch: usize): void {
  for (let t = 0; t < m; t++) {
    const sa = load<f32>(tok + (<usize>t << 3));
    for (let i = 0; i < n; i++) store<f32>(y + (<usize>(t * n + i) << 2), rowW4A8Ref(w, meta, ng, gp, g, i, xa + <usize>t * ng * gp * 2, sa));
  }
}

/** sum over one 32-code chunk of one row: 4 nibble vectors (i16 lanes by shift and mask), dot with 4 x vectors */
// @ts-ignore: decorator
@inline function dotW4Chunk(acc: v128, v: v128, x0: v128, x1: v128, x2: v128, x3: v128): v128 {
  const s0 = i32x4.add(i32x4.dot_i16x8_s(nib0(v), x0), i32x4.dot_i16x8_s(nib1(v), x1));
  const s1 = i32x4.add(i32x4.dot_i16x8_s(nib2(v), x2), i32x4.dot_i16x8_s(nib3(v), x3));
  return i32x4.add(acc, i32x4.add(s0, s1));
}

/** W4A8 SIMD: several tokens with scratch: gemmI16; else one 16-byte load = 32 codes of a row. Same result as gemmW4A8Ref */
export function gemmW4A8(w: usize, meta: usize, n: i32, ng: i32, gp: i32, g: i32, xa: usize, asum: usize, tok: usize, m: i32, y: usize, scratch: usize): void {
  if (m > 1 && scratch) {
    gemmI16(4, w, meta, n, ng, gp, g, xa, asum, tok, m, y, scratch);
    return;
  }
  const nb = n >> 2, kp = ng * gp;
  for (let b = 0; b < nb; b++) {
    const wb = w + <usize>b * 2 * kp, mb = meta + <usize>b * ng * META;
    for (let t = 0; t < m; t++) {
      const sa = f32x4.splat(load<f32>(tok + (<usize>t << 3)));
      const xt = xa + <usize>t * kp * 2, st = asum + <usize>t * ng * 4;
      let yv = f32x4.splat(0);
      for (let gi = 0; gi < ng; gi++) {
        let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
        let pw = wb + <usize>gi * 2 * gp, px = xt + <usize>gi * gp * 2;
        const end = px + <usize>gp * 2;
        for (; px < end; px += 64, pw += 64) {
          const x0 = v128.load(px), x1 = v128.load(px, 16), x2 = v128.load(px, 32), x3 = v128.load(px, 48);
          a0 = dotW4Chunk(a0, v128.load(pw), x0, x1, x2, x3);
          a1 = dotW4Chunk(a1, v128.load(pw, 16), x0, x1, x2, x3);
          a2 = dotW4Chunk(a2, v128.load(pw, 32), x0, x1, x2, x3);
          a3 = dotW4Chunk(a3, v128.load(pw, 48), x0, x1, x2, x3);
        }
        yv = groupEpilogue(yv, hsum4i(a0, a1, a2, a3), mb + <usize>gi * META, i32x4.splat(load<i32>(st + (<usize>gi << 2))), sa);
      }
      v128.store(y + (<usize>(t * n + 4 * b) << 2), yv);
    }
  }
  for (let t = 0; t < m; t++) {
    const sa = load<f32>(tok + (<usize>t << 3));
    for (let i = nb << 2; i < n; i++) store<f32>(y + (<usize>(t * n + i) << 2), rowW4A8Ref(w, meta, ng, gp, g, i, xa + <usize>t * kp * 2, sa));
  }
}

// ---------------------------------------------------------------------------------------------
// weight-only: W8 / W4 codes x f32 activations, dequantized on the fly
// ---------------------------------------------------------------------------------------------

/** reference inner loop: per group s = sum f32(cw - zw) x (one chain), acc += s * sw */
// @ts-ignore: decorator
@inline function rowWxF32Ref(bits: i32, w: usize, meta: usize, ng: i32, gp: i32, g: i32, i: i32, xt: usize): f32 {
  const wb = w + <usize>(i >> 2) * <usize>(bits == 8 ? 4 : 2) * ng * gp + ((<usize>i & 3) << 4);
  let acc: f32 = 0;
  for (let gi = 0; gi < ng; gi++) {
    const mt = meta + <usize>((i >> 2) * ng + gi) * META + ((<usize>i & 3) << 2);
    const zw = load<i32>(mt, 16);
    let s: f32 = 0;
    for (let k = 0; k < g; k++) {
      const c = bits == 8 ? codeW8(wb, gi, gp, k) : codeW4(wb, gi, gp, k);
      s += <f32>(c - zw) * load<f32>(xt + (<usize>(gi * gp + k) << 2));
    }
    acc += s * load<f32>(mt);
  }
  return acc;
}

// @ts-ignore: decorator
@inline function gemmWxF32Ref(bits: i32, w: usize, meta: usize, n: i32, ng: i32, gp: i32, g: i32, x: usize, m: i32, y: usize): void {
  for (let t = 0; t < m; t++) {
    for (let i = 0; i < n; i++) store<f32>(y + (<usize>(t * n + i) << 2), rowWxF32Ref(bits, w, meta, ng, gp, g, i, x + <usize>t * ng * gp * 4));
  }
}

/** W8 x f32 scalar twin */
export function gemmW8F32Ref(w: usize, meta: usize, n: i32, ng: i32, gp: i32, g: i32, x: usize, m: i32, y: usize, scratch: usize): void {
  gemmWxF32Ref(8, w, meta, n, ng, gp, g, x, m, y);
}

/** W4 x f32 scalar twin */
export function gemmW4F32Ref(w: usize, meta: usize, n: i32, ng: i32, gp: i32, g: i32, x: usize, m: i32, y: usize, scratch: usize): void {
  gemmWxF32Ref(4, w, meta, n, ng, gp, g, x, m, y);
}

/** acc + f32(i16 lanes d - z) * x for 8 codes: two f32x4 multiply-adds */
// @ts-ignore: decorator
@inline function madd8(acc: v128, d: v128, px: usize): v128 {
  acc = f32x4.add(acc, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(d)), v128.load(px)));
  return f32x4.add(acc, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(d)), v128.load(px, 16)));
}

// @ts-ignore: decorator
@inline function gemmWxF32(bits: i32, w: usize, meta: usize, n: i32, ng: i32, gp: i32, g: i32, x: usize, m: i32, y: usize): void {
  const nb = n >> 2, kp = ng * gp, bw: usize = bits == 8 ? 4 : 2;
  for (let b = 0; b < nb; b++) {
    const wb = w + <usize>b * bw * kp, mb = meta + <usize>b * ng * META;
    for (let t = 0; t < m; t++) {
      const xt = x + <usize>t * kp * 4;
      let yv = f32x4.splat(0);
      for (let gi = 0; gi < ng; gi++) {
        const mt = mb + <usize>gi * META;
        let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
        // one row at a time (4 accumulators per row would not fit the registers with 4 zero splats)
        for (let r = 0; r < 4; r++) {
          const z = i16x8.splat(<i16>load<i32>(mt + (<usize>r << 2), 16));
          let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
          let pw = wb + <usize>gi * bw * gp + (<usize>r << 4), px = xt + <usize>gi * gp * 4;
          const end = px + <usize>gp * 4;
          if (bits == 8) {
            for (; px < end; px += 64, pw += 64) {
              s0 = madd8(s0, i16x8.sub(v128.load8x8_u(pw), z), px);
              s1 = madd8(s1, i16x8.sub(v128.load8x8_u(pw, 8), z), px + 32);
            }
          } else {
            for (; px < end; px += 128, pw += 64) {
              const v = v128.load(pw);
              s0 = madd8(s0, i16x8.sub(nib0(v), z), px);
              s1 = madd8(s1, i16x8.sub(nib1(v), z), px + 32);
              s0 = madd8(s0, i16x8.sub(nib2(v), z), px + 64);
              s1 = madd8(s1, i16x8.sub(nib3(v), z), px + 96);
            }
          }
          const s = f32x4.add(s0, s1);
          if (r == 0) a0 = s; else if (r == 1) a1 = s; else if (r == 2) a2 = s; else a3 = s;
        }
        yv = f32x4.add(yv, f32x4.mul(hsum4f(a0, a1, a2, a3), v128.load(mt)));
      }
      v128.store(y + (<usize>(t * n + 4 * b) << 2), yv);
    }
  }
  for (let t = 0; t < m; t++) {
    for (let i = nb << 2; i < n; i++) store<f32>(y + (<usize>(t * n + i) << 2), rowWxF32Ref(bits, w, meta, ng, gp, g, i, x + <usize>t * kp * 4));
  }
}

/**
 * weight-only for several tokens: per 4-row block, dequantize to f32 (f32(code - zero) * scale) in
 * scratch (deqBlock), then gemmF32's block kernel: the same sums as gemmF32 on the dequantized
 * matrix, bit for bit where the group length is a multiple of 32 (no padding inside a row)
 */
// @ts-ignore: decorator
@inline function gemmWxF32Deq(bits: i32, w: usize, meta: usize, n: i32, ng: i32, gp: i32, g: i32, x: usize, m: i32, y: usize, scratch: usize): void {
  const nb = (n + 3) >> 2, kp = ng * gp, bw: usize = bits == 8 ? 4 : 2, tt = tokenTile(kp * 4, m, 2), xs = <usize>kp * 4;
  // token tiles as gemmF32; each block is dequantized again per tile
  for (let t0 = 0; t0 < m; t0 += tt) {
    const mt = min(tt, m - t0), xt = x + <usize>t0 * xs, yt = y + (<usize>t0 * n << 2);
    for (let b = 0; b < nb; b++) {
      deqBlock(bits, w + <usize>b * bw * kp, meta + <usize>b * ng * META, ng, gp, scratch);
      if ((b + 1) << 2 <= n) {
        blockF32(scratch, kp, xt, mt, yt, n, b << 2);
      } else {
        // the last, partial block: its real rows as gemmF32's tail (rowF32Ref over the dequantized rows)
        for (let t = 0; t < mt; t++) {
          for (let i = b << 2; i < n; i++) store<f32>(yt + (<usize>(t * n + i) << 2), rowF32Ref(scratch, kp, i & 3, xt + <usize>t * xs));
        }
      }
    }
  }
}

/**
 * W8 x f32 SIMD. One token (or scratch = 0): codes - zero in i16, converted to f32, multiply-added,
 * scaled per group. Several tokens: each 4-row block is dequantized once into scratch (16 kp bytes,
 * f32 layout) and runs the f32 block kernel for all tokens.
 */
export function gemmW8F32(w: usize, meta: usize, n: i32, ng: i32, gp: i32, g: i32, x: usize, m: i32, y: usize, scratch: usize): void {
  if (m > 1 && scratch) gemmWxF32Deq(8, w, meta, n, ng, gp, g, x, m, y, scratch);
  else gemmWxF32(8, w, meta, n, ng, gp, g, x, m, y);
}

/** W4 x f32 SIMD: as gemmW8F32 with nibbles unpacked */
export function gemmW4F32(w: usize, meta: usize, n: i32, ng: i32, gp: i32, g: i32, x: usize, m: i32, y: usize, scratch: usize): void {
  if (m > 1 && scratch) gemmWxF32Deq(4, w, meta, n, ng, gp, g, x, m, y, scratch);
  else gemmWxF32(4, w, meta, n, ng, gp, g, x, m, y);
}
