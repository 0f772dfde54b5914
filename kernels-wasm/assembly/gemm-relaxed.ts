/**
 * gemm-relaxed.ts: kernels on relaxed SIMD (built as its own module, gemm-relaxed.wasm, with
 * `--enable relaxed-simd`; the host picks it where WebAssembly.validate accepts it): W4A8 on
 * relaxed integer dots, f32 and weight-only GEMM on f32x4.relaxed_madd (fused multiply-add where
 * the CPU has it: one instruction instead of two, and one rounding instead of two, so these sum
 * within a tolerance of their twins, gemm.ts's gemmF32Ref / gemmW{8,4}F32Ref, like the plain f32
 * kernels). It shares env.memory and every layout with gemm.ts (see the comment block there),
 * except the W4A8 activations: a8s (i8 code - 128, group-padded, prepA format A8S) instead of a16.
 *
 * i16x8.relaxed_dot_i8x16_i7x16_s(a, b) is deterministic when every lane of b is in [0, 127]:
 * b = 4-bit weight codes, a = activation codes - 128 in [-128, 127]; the i16 pair sums
 * (|.| <= 2 * 15 * 128) cannot saturate. So D = sum cw (ca - 128) is exact, and
 * isum = D + (128 - za) Sw - zw Sa' equals the twin's sum (cw - zw)(ca - za).
 */
import { META, a8sPos, codeW4, deqBlock, groupEpilogue, hsum4f, hsum4i, tokenTile } from "./gemm-common";

/** reference inner loop: row i, token at xt (a8s), exact i32 group sums, f32 combination */
// @ts-ignore: decorator
@inline function rowW4A8sRef(w: usize, meta: usize, ng: i32, gp: i32, g: i32, i: i32, xt: usize, sa: f32, za: i32): f32 {
  const wb = w + <usize>(i >> 2) * 2 * ng * gp + ((<usize>i & 3) << 4);
  let acc: f32 = 0;
  for (let gi = 0; gi < ng; gi++) {
    const mt = meta + <usize>((i >> 2) * ng + gi) * META + ((<usize>i & 3) << 2);
    const zw = load<i32>(mt, 16);
    let isum = 0;
    for (let k = 0; k < g; k++) isum += (codeW4(wb, gi, gp, k) - zw) * (<i32>load<i8>(xt + <usize>(gi * gp + a8sPos(k))) + 128 - za);
    acc += <f32>isum * (load<f32>(mt) * sa);
  }
  return acc;
}

/** W4A8 on a8s activations, scalar twin (exact integer group sums; equals gemm.ts gemmW4A8Ref) */
export function gemmW4A8RelaxedRef(w: usize, meta: usize, n: i32, ng: i32, gp: i32, g: i32, xa: usize, asum: usize, tok: usize, m: i32, y: usize, scratch: usize): void {
  for (let t = 0; t < m; t++) {
    const sa = load<f32>(tok + (<usize>t << 3)), za = load<i32>(tok + (<usize>t << 3), 4);
    for (let i = 0; i < n; i++) store<f32>(y + (<usize>(t * n + i) << 2), rowW4A8sRef(w, meta, ng, gp, g, i, xa + <usize>t * ng * gp, sa, za));
  }
}

/**
 * acc + sum of one row's 32 codes (16 bytes v: low nibbles = codes 0-7 / 16-23 interleaved, high
 * nibbles = 8-15 / 24-31) times i8 activations xl, xh in the same byte order (a8s): two i16x8 relaxed dots (pair sums |.| <= 3840) added in i16 (<= 7680), then
 * widened. (Node 20's V8 11.3 returned wrong sums from i32x4.relaxed_dot_i8x16_i7x16_add_s here on
 * x64, so the i16 dot is used; it also saves one widening per chunk.)
 */
// @ts-ignore: decorator
@inline function dotW4s(acc: v128, v: v128, xl: v128, xh: v128): v128 {
  const lo = v128.and(v, i8x16.splat(15)), hi = v128.and(i16x8.shr_u(v, 4), i8x16.splat(15));
  const d = i16x8.add(i16x8.relaxed_dot_i8x16_i7x16_s(xl, lo), i16x8.relaxed_dot_i8x16_i7x16_s(xh, hi));
  return i32x4.add(acc, i32x4.extadd_pairwise_i16x8_s(d));
}

/** W4A8 relaxed SIMD: several tokens with scratch: gemmW4A8RelaxedTiles; one token: nibbles as 7-bit b, i8 activations as a, 16 MACs per relaxed dot */
export function gemmW4A8Relaxed(w: usize, meta: usize, n: i32, ng: i32, gp: i32, g: i32, xa: usize, asum: usize, tok: usize, m: i32, y: usize, scratch: usize): void {
  if (m > 1 && scratch) {
    gemmW4A8RelaxedTiles(w, meta, n, ng, gp, g, xa, asum, tok, m, y, scratch);
    return;
  }
  const nb = n >> 2, kp = ng * gp;
  for (let b = 0; b < nb; b++) {
    const wb = w + <usize>b * 2 * kp, mb = meta + <usize>b * ng * META;
    for (let t = 0; t < m; t++) {
      const sa = f32x4.splat(load<f32>(tok + (<usize>t << 3)));
      const za = load<i32>(tok + (<usize>t << 3), 4);
      const xt = xa + <usize>t * kp, st = asum + <usize>t * ng * 4;
      let yv = f32x4.splat(0);
      for (let gi = 0; gi < ng; gi++) {
        let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
        let pw = wb + <usize>gi * 2 * gp, px = xt + <usize>gi * gp;
        const end = px + <usize>gp;
        for (; px < end; px += 32, pw += 64) {
          const xl = v128.load(px), xh = v128.load(px, 16);
          a0 = dotW4s(a0, v128.load(pw), xl, xh);
          a1 = dotW4s(a1, v128.load(pw, 16), xl, xh);
          a2 = dotW4s(a2, v128.load(pw, 32), xl, xh);
          a3 = dotW4s(a3, v128.load(pw, 48), xl, xh);
        }
        // sum cw (ca - 128) + (128 - za) Sw = sum cw (ca - za): then the common epilogue (zw Sa', scales)
        const mt = mb + <usize>gi * META;
        const d = i32x4.add(hsum4i(a0, a1, a2, a3), i32x4.mul(v128.load(mt, 32), i32x4.splat(128 - za)));
        yv = groupEpilogue(yv, d, mt, i32x4.splat(load<i32>(st + (<usize>gi << 2))), sa);
      }
      v128.store(y + (<usize>(t * n + 4 * b) << 2), yv);
    }
  }
  for (let t = 0; t < m; t++) {
    const sa = load<f32>(tok + (<usize>t << 3)), za = load<i32>(tok + (<usize>t << 3), 4);
    for (let i = nb << 2; i < n; i++) store<f32>(y + (<usize>(t * n + i) << 2), rowW4A8sRef(w, meta, ng, gp, g, i, xa + <usize>t * kp, sa, za));
  }
}

// ---------------------------------------------------------------------------------------------
// W4A8, several tokens: unpacked 4-row tiles, i16 partial sums
// ---------------------------------------------------------------------------------------------

/** nibble chunks accumulated in i16 before widening: 4 x 2 dots x 2 products x 15 x 128 = 30720 < 2^15 */
const I16_CHUNKS = 4;

/** one 4-row W4 block at wb -> scratch: chunk c (32 codes) at 128 c, row r's low nibbles at 32 r (16 B, a8s order), high nibbles at 32 r + 16 */
// @ts-ignore: decorator
@inline function unpackW4(wb: usize, kp: i32, scr: usize): void {
  const m4 = i8x16.splat(15);
  for (let c = 0; c < kp >> 5; c++) {
    const pw = wb + (<usize>c << 6), q = scr + (<usize>c << 7);
    for (let r = 0; r < 4; r++) {
      const v = v128.load(pw + (<usize>r << 4));
      v128.store(q + (<usize>r << 5), v128.and(v, m4));
      v128.store(q + (<usize>r << 5), v128.and(i16x8.shr_u(v, 4), m4), 16);
    }
  }
}

/** acc + relaxed dot (i16 pair sums) of i8 activations x and 7-bit codes w */
// @ts-ignore: decorator
@inline function dot16(acc: v128, x: v128, w: v128): v128 {
  return i16x8.add(acc, i16x8.relaxed_dot_i8x16_i7x16_s(x, w));
}

/** [row 0..3 sums] of four i16x8 partial-sum vectors, widened pairwise to i32 */
// @ts-ignore: decorator
@inline function rows16(a0: v128, a1: v128, a2: v128, a3: v128): v128 {
  return hsum4i(i32x4.extadd_pairwise_i16x8_s(a0), i32x4.extadd_pairwise_i16x8_s(a1), i32x4.extadd_pairwise_i16x8_s(a2), i32x4.extadd_pairwise_i16x8_s(a3));
}

/** y lanes after one group of the relaxed W4A8 sums d = sum cw (ca - 128) (gemmW4A8Relaxed's epilogue) */
// @ts-ignore: decorator
@inline function epilogueW4s(yv: v128, d: v128, mt: usize, za: i32, saP: i32, sa: v128): v128 {
  return groupEpilogue(yv, i32x4.add(d, i32x4.mul(v128.load(mt, 32), i32x4.splat(128 - za))), mt, i32x4.splat(saP), sa);
}

/**
 * W4A8 relaxed, several tokens: each 4-row block is unpacked once to bytes in scratch (4 kp bytes,
 * stays in L1; unpackW4), then tokens in pairs: per 32-code chunk, 4 activation loads and 8 weight
 * loads feed 16 relaxed dots (512 MACs) into 8 i16 accumulators, widened every I16_CHUNKS chunks
 * and at each group's end; an odd last token alone. Same result as gemmW4A8RelaxedRef.
 */
// @ts-ignore: decorator
@inline function gemmW4A8RelaxedTiles(w: usize, meta: usize, n: i32, ng: i32, gp: i32, g: i32, xa: usize, asum: usize, tok: usize, m: i32, y: usize, scr: usize): void {
  const nb = n >> 2, kp = ng * gp, xs = <usize>kp, ss = <usize>ng * 4, cg = gp >> 5;
  // token tiles whose a8s activations stay in L2; each block is unpacked again per tile
  const tt = tokenTile(kp, m, 2);
  for (let t0 = 0; t0 < m; t0 += tt) {
    const t1 = min(m, t0 + tt);
    for (let b = 0; b < nb; b++) {
      const mb = meta + <usize>b * ng * META;
      unpackW4(w + <usize>b * 2 * kp, kp, scr);
      let t = t0;
      for (; t + 1 < t1; t += 2) {
        const tk = tok + (<usize>t << 3);
        const sa0 = f32x4.splat(load<f32>(tk)), sa1 = f32x4.splat(load<f32>(tk, 8));
        const za0 = load<i32>(tk, 4), za1 = load<i32>(tk, 12);
        const x0 = xa + <usize>t * xs, x1 = x0 + xs, st = asum + <usize>t * ss;
        let y0 = f32x4.splat(0), y1 = f32x4.splat(0);
        for (let gi = 0; gi < ng; gi++) {
          let d0 = i32x4.splat(0), d1 = i32x4.splat(0);
          const cEnd = (gi + 1) * cg;
          for (let c0 = gi * cg; c0 < cEnd; c0 += I16_CHUNKS) {
            let a0 = i16x8.splat(0), a1 = i16x8.splat(0), a2 = i16x8.splat(0), a3 = i16x8.splat(0);
            let b0 = i16x8.splat(0), b1 = i16x8.splat(0), b2 = i16x8.splat(0), b3 = i16x8.splat(0);
            const c1 = min(c0 + I16_CHUNKS, cEnd);
            let pw = scr + (<usize>c0 << 7), p0 = x0 + (<usize>c0 << 5), p1 = x1 + (<usize>c0 << 5);
            const end = x0 + (<usize>c1 << 5);
            for (; p0 < end; p0 += 32, p1 += 32, pw += 128) {
              const l0 = v128.load(p0), h0 = v128.load(p0, 16), l1 = v128.load(p1), h1 = v128.load(p1, 16);
              let v = v128.load(pw);
              a0 = dot16(a0, l0, v); b0 = dot16(b0, l1, v);
              v = v128.load(pw, 16);
              a0 = dot16(a0, h0, v); b0 = dot16(b0, h1, v);
              v = v128.load(pw, 32);
              a1 = dot16(a1, l0, v); b1 = dot16(b1, l1, v);
              v = v128.load(pw, 48);
              a1 = dot16(a1, h0, v); b1 = dot16(b1, h1, v);
              v = v128.load(pw, 64);
              a2 = dot16(a2, l0, v); b2 = dot16(b2, l1, v);
              v = v128.load(pw, 80);
              a2 = dot16(a2, h0, v); b2 = dot16(b2, h1, v);
              v = v128.load(pw, 96);
              a3 = dot16(a3, l0, v); b3 = dot16(b3, l1, v);
              v = v128.load(pw, 112);
              a3 = dot16(a3, h0, v); b3 = dot16(b3, h1, v);
            }
            d0 = i32x4.add(d0, rows16(a0, a1, a2, a3));
            d1 = i32x4.add(d1, rows16(b0, b1, b2, b3));
          }
          const mt = mb + <usize>gi * META, sg = st + (<usize>gi << 2);
          y0 = epilogueW4s(y0, d0, mt, za0, load<i32>(sg), sa0);
          y1 = epilogueW4s(y1, d1, mt, za1, load<i32>(sg + ss), sa1);
        }
        v128.store(y + (<usize>(t * n + 4 * b) << 2), y0);
        v128.store(y + (<usize>((t + 1) * n + 4 * b) << 2), y1);
      }
      if (t < t1) {
        const tk = tok + (<usize>t << 3);
        const sa = f32x4.splat(load<f32>(tk)), za = load<i32>(tk, 4);
        const x0 = xa + <usize>t * xs, st = asum + <usize>t * ss;
        let yv = f32x4.splat(0);
        for (let gi = 0; gi < ng; gi++) {
          let d = i32x4.splat(0);
          const cEnd = (gi + 1) * cg;
          for (let c0 = gi * cg; c0 < cEnd; c0 += I16_CHUNKS) {
            let a0 = i16x8.splat(0), a1 = i16x8.splat(0), a2 = i16x8.splat(0), a3 = i16x8.splat(0);
            const c1 = min(c0 + I16_CHUNKS, cEnd);
            let pw = scr + (<usize>c0 << 7), p0 = x0 + (<usize>c0 << 5);
            const end = x0 + (<usize>c1 << 5);
            for (; p0 < end; p0 += 32, pw += 128) {
              const l0 = v128.load(p0), h0 = v128.load(p0, 16);
              a0 = dot16(dot16(a0, l0, v128.load(pw)), h0, v128.load(pw, 16));
              a1 = dot16(dot16(a1, l0, v128.load(pw, 32)), h0, v128.load(pw, 48));
              a2 = dot16(dot16(a2, l0, v128.load(pw, 64)), h0, v128.load(pw, 80));
              a3 = dot16(dot16(a3, l0, v128.load(pw, 96)), h0, v128.load(pw, 112));
            }
            d = i32x4.add(d, rows16(a0, a1, a2, a3));
          }
          yv = epilogueW4s(yv, d, mb + <usize>gi * META, za, load<i32>(st + (<usize>gi << 2)), sa);
        }
        v128.store(y + (<usize>(t * n + 4 * b) << 2), yv);
      }
    }
  }
  for (let t = 0; t < m; t++) {
    const sa = load<f32>(tok + (<usize>t << 3)), za = load<i32>(tok + (<usize>t << 3), 4);
    for (let i = nb << 2; i < n; i++) store<f32>(y + (<usize>(t * n + i) << 2), rowW4A8sRef(w, meta, ng, gp, g, i, xa + <usize>t * kp, sa, za));
  }
}

// ---------------------------------------------------------------------------------------------
// f32 and weight-only on relaxed_madd
// ---------------------------------------------------------------------------------------------

/** acc + a b, fused where the CPU has FMA */
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, acc: v128): v128 {
  return f32x4.relaxed_madd(a, b, acc);
}

/** gemm.ts blockF32 (4 rows x token pairs, an odd last token with two chunk accumulators) on madd */
// @ts-ignore: decorator
@inline function blockF32Fma(wb: usize, kp: i32, x: usize, m: i32, y: usize, n: i32, col0: i32): void {
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
      a0 = madd(c, x0, a0); b0 = madd(c, x1, b0);
      c = v128.load(pw, 16);
      a1 = madd(c, x0, a1); b1 = madd(c, x1, b1);
      c = v128.load(pw, 32);
      a2 = madd(c, x0, a2); b2 = madd(c, x1, b2);
      c = v128.load(pw, 48);
      a3 = madd(c, x0, a3); b3 = madd(c, x1, b3);
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
      a0 = madd(v128.load(pw), x0, a0);
      a1 = madd(v128.load(pw, 16), x0, a1);
      a2 = madd(v128.load(pw, 32), x0, a2);
      a3 = madd(v128.load(pw, 48), x0, a3);
      b0 = madd(v128.load(pw, 64), x1, b0);
      b1 = madd(v128.load(pw, 80), x1, b1);
      b2 = madd(v128.load(pw, 96), x1, b2);
      b3 = madd(v128.load(pw, 112), x1, b3);
    }
    v128.store(y + (<usize>(t * n + col0) << 2), hsum4f(f32x4.add(a0, b0), f32x4.add(a1, b1), f32x4.add(a2, b2), f32x4.add(a3, b3)));
  }
}

/** y tail rows (n not a multiple of 4) of one token, one f32 chain each: gemm.ts rowF32Ref's loop */
// @ts-ignore: decorator
@inline function rowF32(w: usize, kp: i32, i: i32, xt: usize): f32 {
  const wb = w + <usize>(i >> 2) * 16 * kp + ((<usize>i & 3) << 4);
  let acc: f32 = 0;
  for (let k = 0; k < kp; k++) acc += load<f32>(wb + ((<usize>k >> 2) << 6) + ((<usize>k & 3) << 2)) * load<f32>(xt + (<usize>k << 2));
  return acc;
}

/** y[m, n] = x[m, kp] W[n, kp]^T, f32 on madd; twin: gemm.ts gemmF32Ref */
export function gemmF32Relaxed(w: usize, n: i32, kp: i32, x: usize, m: i32, y: usize): void {
  const nb = n >> 2, tt = tokenTile(kp * 4, m, 2), xs = <usize>kp * 4;
  // token tiles that stay in L2 while every block passes (gemm.ts gemmF32)
  for (let t0 = 0; t0 < m; t0 += tt) {
    const mt = min(tt, m - t0), xt = x + <usize>t0 * xs, yt = y + (<usize>t0 * n << 2);
    for (let b = 0; b < nb; b++) blockF32Fma(w + <usize>b * 16 * kp, kp, xt, mt, yt, n, b << 2);
  }
  for (let t = 0; t < m; t++) {
    for (let i = nb << 2; i < n; i++) store<f32>(y + (<usize>(t * n + i) << 2), rowF32(w, kp, i, x + <usize>t * kp * 4));
  }
}

/**
 * weight-only for several tokens (m > 1, scratch of 16 kp bytes): each 4-row block dequantized
 * into scratch (deqBlock), then blockF32Fma; rows past the last block dequantized the same way
 * (their zero padding rows give zeros that are not stored). Twin: gemm.ts gemmW{8,4}F32Ref.
 */
// @ts-ignore: decorator
@inline function gemmWxF32Fma(bits: i32, w: usize, meta: usize, n: i32, ng: i32, gp: i32, x: usize, m: i32, y: usize, scratch: usize): void {
  const nb = (n + 3) >> 2, kp = ng * gp, bw: usize = bits == 8 ? 4 : 2, tt = tokenTile(kp * 4, m, 2), xs = <usize>kp * 4;
  // token tiles as gemmF32Relaxed; each block is dequantized again per tile
  for (let t0 = 0; t0 < m; t0 += tt) {
    const mt = min(tt, m - t0), xt = x + <usize>t0 * xs, yt = y + (<usize>t0 * n << 2);
    for (let b = 0; b < nb; b++) {
      deqBlock(bits, w + <usize>b * bw * kp, meta + <usize>b * ng * META, ng, gp, scratch);
      if ((b + 1) << 2 <= n) {
        blockF32Fma(scratch, kp, xt, mt, yt, n, b << 2);
      } else {
        for (let t = 0; t < mt; t++) {
          for (let i = b << 2; i < n; i++) store<f32>(yt + (<usize>(t * n + i) << 2), rowF32(scratch, kp, i & 3, xt + <usize>t * xs));
        }
      }
    }
  }
}

/** W8 x f32, several tokens, on madd (the host runs gemm.ts gemmW8F32 for one token) */
export function gemmW8F32Relaxed(w: usize, meta: usize, n: i32, ng: i32, gp: i32, g: i32, x: usize, m: i32, y: usize, scratch: usize): void {
  gemmWxF32Fma(8, w, meta, n, ng, gp, x, m, y, scratch);
}

/** W4 x f32, several tokens, on madd */
export function gemmW4F32Relaxed(w: usize, meta: usize, n: i32, ng: i32, gp: i32, g: i32, x: usize, m: i32, y: usize, scratch: usize): void {
  gemmWxF32Fma(4, w, meta, n, ng, gp, x, m, y, scratch);
}
