/**
 * gemm-common.ts: constants and inline helpers shared by gemm.ts and gemm-relaxed.ts (a library
 * file, not a kernel module: kernels-wasm/build.mjs does not build it on its own, so these exports
 * do not become wasm exports). Layouts: the comment block at the top of gemm.ts.
 */

/** activation formats prepA writes */
export const A16: i32 = 0;
export const A8S: i32 = 1;
/** bytes of one (block, group) meta record */
export const META: usize = 48;

/** bytes of activations one token tile may hold: a quarter of a 2 MiB L2, so a tile stays cached while every weight block passes over it */
export const TILE_BYTES: i32 = 512 << 10;

/**
 * Tokens per tile for m tokens with activation rows of `rowBytes`: the fewest tiles of at most
 * about TILE_BYTES, balanced (no short last tile: weight-only kernels dequantize every block again
 * per tile), rounded up to a multiple of `align` (2: tokens pair up inside a tile as they do
 * without tiles, so the block kernels give the same sums; 4: gemmI16's token quads)
 */
// @ts-ignore: decorator
@inline export function tokenTile(rowBytes: i32, m: i32, align: i32): i32 {
  const per = max(align, (TILE_BYTES / rowBytes) & ~(align - 1));
  const tiles = (m + per - 1) / per;
  const tt = (m + tiles - 1) / tiles;
  return max(align, (tt + align - 1) & ~(align - 1));
}

/** [sum a0, sum a1, sum a2, sum a3] of four i32x4 (a transpose-add) */
// @ts-ignore: decorator
@inline export function hsum4i(a0: v128, a1: v128, a2: v128, a3: v128): v128 {
  const s01 = i32x4.add(v128.shuffle<i32>(a0, a1, 0, 4, 1, 5), v128.shuffle<i32>(a0, a1, 2, 6, 3, 7));
  const s23 = i32x4.add(v128.shuffle<i32>(a2, a3, 0, 4, 1, 5), v128.shuffle<i32>(a2, a3, 2, 6, 3, 7));
  return i32x4.add(v128.shuffle<i32>(s01, s23, 0, 1, 4, 5), v128.shuffle<i32>(s01, s23, 2, 3, 6, 7));
}

/** [sum a0, sum a1, sum a2, sum a3] of four f32x4 */
// @ts-ignore: decorator
@inline export function hsum4f(a0: v128, a1: v128, a2: v128, a3: v128): v128 {
  const s01 = f32x4.add(v128.shuffle<f32>(a0, a1, 0, 4, 1, 5), v128.shuffle<f32>(a0, a1, 2, 6, 3, 7));
  const s23 = f32x4.add(v128.shuffle<f32>(a2, a3, 0, 4, 1, 5), v128.shuffle<f32>(a2, a3, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(s01, s23, 0, 1, 4, 5), v128.shuffle<f32>(s01, s23, 2, 3, 6, 7));
}

/**
 * y lanes += f32(D - zw Sa') * (sw * sa) for one (block, group) record at mt, D = sum cw (ca - za)
 * per row: the integer kernels' group epilogue, the same f32 steps as the twins'
 * `acc += f32(isum) * (sw * sa)`.
 */
// @ts-ignore: decorator
@inline export function groupEpilogue(yv: v128, d: v128, mt: usize, saP: v128, sa: v128): v128 {
  const isum = i32x4.sub(d, i32x4.mul(v128.load(mt, 16), saP));
  return f32x4.add(yv, f32x4.mul(f32x4.convert_i32x4_s(isum), f32x4.mul(v128.load(mt), sa)));
}

/** code of row i (block-local row r), group gi, group-local column k of a W8 matrix */
// @ts-ignore: decorator
@inline export function codeW8(wb: usize, gi: i32, gp: i32, k: i32): i32 {
  return <i32>load<u8>(wb + <usize>gi * 4 * gp + ((<usize>k >> 4) << 6) + (k & 15));
}

/** code of a W4 matrix, same addressing as codeW8 (wb already offset by 16 r): byte 2 (k & 7) + bit 4 of k, nibble = bit 3 of k */
// @ts-ignore: decorator
@inline export function codeW4(wb: usize, gi: i32, gp: i32, k: i32): i32 {
  const byte = wb + <usize>gi * 2 * gp + ((<usize>k >> 5) << 6) + ((k & 7) << 1) + ((k >> 4) & 1);
  return (<i32>load<u8>(byte) >> (k & 8 ? 4 : 0)) & 15;
}

/** position of group-local activation k in the a8s layout: 16 x (nibble) + byte of its W4 code */
// @ts-ignore: decorator
@inline export function a8sPos(k: i32): i32 {
  return (k & ~31) + ((k & 8) << 1) + ((k & 7) << 1) + ((k >> 4) & 1);
}

/** the four 8-code i16 vectors of one W4 row chunk (natural order: codes 0-7, 8-15, 16-23, 24-31) */
// @ts-ignore: decorator
@inline export function nib0(v: v128): v128 { return v128.and(v, i16x8.splat(15)); }
// @ts-ignore: decorator
@inline export function nib1(v: v128): v128 { return v128.and(i16x8.shr_u(v, 4), i16x8.splat(15)); }
// @ts-ignore: decorator
@inline export function nib2(v: v128): v128 { return v128.and(i16x8.shr_u(v, 8), i16x8.splat(15)); }
// @ts-ignore: decorator
@inline export function nib3(v: v128): v128 { return i16x8.shr_u(v, 12); }

/** 8 codes (i16 lanes d = code - zero) times scale s -> two f32 chunks of the f32 layout at q, q + 64 */
// @ts-ignore: decorator
@inline function deq8(d: v128, s: v128, q: usize): void {
  v128.store(q, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(d)), s));
  v128.store(q, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(d)), s), 64);
}

/**
 * One 4-row block of a packed W8 / W4 matrix (codes at wb, meta records at mb) dequantized,
 * f32(code - zero) * scale, into scratch in the f32 W layout (16 kp bytes): the weight-only
 * kernels' tile for several tokens (gemm.ts, gemm-relaxed.ts).
 */
// @ts-ignore: decorator
@inline export function deqBlock(bits: i32, wb: usize, mb: usize, ng: i32, gp: i32, scratch: usize): void {
  const bw: usize = bits == 8 ? 4 : 2;
  for (let gi = 0; gi < ng; gi++) {
    const mt = mb + <usize>gi * META;
    for (let r = 0; r < 4; r++) {
      const z = i16x8.splat(<i16>load<i32>(mt + (<usize>r << 2), 16)), sc = f32x4.splat(load<f32>(mt + (<usize>r << 2)));
      // f32 layout: element k of row r at 64 (k >> 2) + 16 r + 4 (k & 3); 8 codes = chunks q, q + 64
      let q = scratch + ((<usize>gi * gp) << 4) + (<usize>r << 4);
      let pw = wb + <usize>gi * bw * gp + (<usize>r << 4);
      const end = pw + <usize>gp * bw;
      if (bits == 8) {
        for (; pw < end; pw += 64, q += 256) {
          deq8(i16x8.sub(v128.load8x8_u(pw), z), sc, q);
          deq8(i16x8.sub(v128.load8x8_u(pw, 8), z), sc, q + 128);
        }
      } else {
        for (; pw < end; pw += 64, q += 512) {
          const v = v128.load(pw);
          deq8(i16x8.sub(nib0(v), z), sc, q);
          deq8(i16x8.sub(nib1(v), z), sc, q + 128);
          deq8(i16x8.sub(nib2(v), z), sc, q + 256);
          deq8(i16x8.sub(nib3(v), z), sc, q + 384);
        }
      }
    }
  }
}
