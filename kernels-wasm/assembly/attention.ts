/**
 * attention.ts: causal multi-head attention over a float32 KV cache, SIMD and scalar twins
 * (llama2.c run.c's attention loop; the forward pass in lib/model/forward.ts calls it per layer).
 *
 * Memory layout (host-managed linear memory, `--runtime stub`; lib/kernels/attention-kernel.ts
 * grows `memory` and passes byte offsets, all 16-byte aligned, f32 row-major):
 *   q     [M, nHeads * headDim]     queries of the M new tokens (after RoPE)
 *   keys  [T, nKvHeads * headDim]   cached keys of positions 0..T-1 (T = pos0 + M), after RoPE
 *   vals  [T, nKvHeads * headDim]   cached values
 *   out   [M, nHeads * headDim]     written: softmax(scale q k^T) v per head (scale: 1/sqrt(headDim), or
 *                                   Gemma's query_pre_attn_scalar^-0.5)
 *   att   [T]                       scratch scores
 *   acc   [headDim]                 scratch accumulator
 * Row m (position pos0 + m) attends to positions 0..pos0 + m, or with `window` > 0 (sliding-window
 * attention: Mistral, Gemma 3) to the last `window` of them, itself included; query head h reads KV head
 * h / (nHeads / nKvHeads) (grouped-query attention). Scores and sums in f32, exp in f32
 * (Mathf.exp); the SIMD version needs headDim % 4 == 0 and otherwise runs the reference.
 */

// @ts-ignore: decorator
@inline function dotRef(a: usize, b: usize, n: i32): f32 {
  let s: f32 = 0;
  for (let i = 0; i < n; i++) s += load<f32>(a + (<usize>i << 2)) * load<f32>(b + (<usize>i << 2));
  return s;
}

/** Scalar reference. */
export function attentionRef(q: usize, keys: usize, vals: usize, out: usize, att: usize, acc: usize,
  M: i32, pos0: i32, nHeads: i32, nKvHeads: i32, headDim: i32, window: i32, scale: f32): void {
  const dim = nHeads * headDim, kvDim = nKvHeads * headDim, group = nHeads / nKvHeads;
  for (let m = 0; m < M; m++) {
    const last = pos0 + m, first = window > 0 && last - window + 1 > 0 ? last - window + 1 : 0;
    for (let h = 0; h < nHeads; h++) {
      const qp = q + (<usize>(m * dim + h * headDim) << 2), kvh = (h / group) * headDim;
      let max: f32 = -Infinity;
      for (let t = first; t <= last; t++) {
        const s = dotRef(qp, keys + (<usize>(t * kvDim + kvh) << 2), headDim) * scale;
        store<f32>(att + (<usize>t << 2), s);
        if (s > max) max = s;
      }
      let sum: f32 = 0;
      for (let t = first; t <= last; t++) {
        const e = Mathf.exp(load<f32>(att + (<usize>t << 2)) - max);
        store<f32>(att + (<usize>t << 2), e);
        sum += e;
      }
      for (let i = 0; i < headDim; i++) store<f32>(acc + (<usize>i << 2), 0);
      for (let t = first; t <= last; t++) {
        const a = load<f32>(att + (<usize>t << 2)), vp = vals + (<usize>(t * kvDim + kvh) << 2);
        for (let i = 0; i < headDim; i++) store<f32>(acc + (<usize>i << 2), load<f32>(acc + (<usize>i << 2)) + a * load<f32>(vp + (<usize>i << 2)));
      }
      const inv: f32 = 1 / sum, op = out + (<usize>(m * dim + h * headDim) << 2);
      for (let i = 0; i < headDim; i++) store<f32>(op + (<usize>i << 2), load<f32>(acc + (<usize>i << 2)) * inv);
    }
  }
}

/** SIMD: f32x4 dot products and value accumulation along headDim (headDim % 4 == 0). */
export function attention(q: usize, keys: usize, vals: usize, out: usize, att: usize, acc: usize,
  M: i32, pos0: i32, nHeads: i32, nKvHeads: i32, headDim: i32, window: i32, scale: f32): void {
  if ((headDim & 3) != 0) { attentionRef(q, keys, vals, out, att, acc, M, pos0, nHeads, nKvHeads, headDim, window, scale); return; }
  const dim = nHeads * headDim, kvDim = nKvHeads * headDim, group = nHeads / nKvHeads;
  const hb = <usize>headDim << 2, kvb = <usize>kvDim << 2;
  for (let m = 0; m < M; m++) {
    const last = pos0 + m, first = window > 0 && last - window + 1 > 0 ? last - window + 1 : 0;
    for (let h = 0; h < nHeads; h++) {
      const qp = q + (<usize>(m * dim + h * headDim) << 2), kvo = <usize>((h / group) * headDim) << 2;
      // scores q . k_t
      let max: f32 = -Infinity;
      let kp = keys + kvo + <usize>first * kvb;
      for (let t = first; t <= last; t++, kp += kvb) {
        let v = f32x4.splat(0);
        for (let i: usize = 0; i < hb; i += 16) v = f32x4.add(v, f32x4.mul(v128.load(qp + i), v128.load(kp + i)));
        const s = (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3)) * scale;
        store<f32>(att + (<usize>t << 2), s);
        if (s > max) max = s;
      }
      // softmax numerators
      let sum: f32 = 0;
      for (let t = first; t <= last; t++) {
        const e = Mathf.exp(load<f32>(att + (<usize>t << 2)) - max);
        store<f32>(att + (<usize>t << 2), e);
        sum += e;
      }
      // weighted sum of the values
      for (let i: usize = 0; i < hb; i += 16) v128.store(acc + i, f32x4.splat(0));
      let vp = vals + kvo + <usize>first * kvb;
      for (let t = first; t <= last; t++, vp += kvb) {
        const a = f32x4.splat(load<f32>(att + (<usize>t << 2)));
        for (let i: usize = 0; i < hb; i += 16) v128.store(acc + i, f32x4.add(v128.load(acc + i), f32x4.mul(a, v128.load(vp + i))));
      }
      const inv = f32x4.splat(1 / sum), op = out + (<usize>(m * dim + h * headDim) << 2);
      for (let i: usize = 0; i < hb; i += 16) v128.store(op + i, f32x4.mul(v128.load(acc + i), inv));
    }
  }
}
