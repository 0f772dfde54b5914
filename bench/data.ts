/** Deterministic synthetic weights for the bench: a Gaussian-ish bulk plus rare outlier columns. */

/** 0.02 (cos(i) + 0.5 sin(0.37 i)) with every 997th column x 20: a [rows, cols] f32 weight. */
export function syntheticF32(rows: number, cols: number): Float32Array {
  const x = new Float32Array(rows * cols);
  for (let r = 0, i = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++, i++) {
      const v = 0.02 * (Math.cos(i) + 0.5 * Math.sin(0.37 * i));
      x[i] = c % 997 === 0 ? 20 * v : v;
    }
  }
  return x;
}

/** bf16 bits of `n` values: the upper halves of f32 synthetic values (truncation), cycled with a sign flip. */
export function syntheticBf16(f32: Float32Array, n: number): Uint16Array {
  const hi = new Uint16Array(f32.buffer, f32.byteOffset, 2 * f32.length);
  const out = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const j = i % f32.length;
    out[i] = hi[2 * j + 1]! ^ (i >= f32.length ? 0x8000 : 0);
  }
  return out;
}
