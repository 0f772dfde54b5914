/**
 * Quantization error of a stored weight under weight specs, streamed: the tensor is read in
 * row-aligned chunks (TensorSource.readRaw) and every chunk's groups are measured, so memory stays
 * at one chunk whatever the tensor's size. Weights stored [in, out] (ONNX MatMul) are read whole
 * and transposed, because groups run along the input dimension.
 */
import type { TensorInfo, TensorSource } from "../formats/types.ts";
import { decodeToF32 } from "../tensor/decode.ts";
import { transpose } from "../tensor/matrix.ts";
import { errorFromSums, matrixQuantError, type QuantError } from "./error.ts";
import type { QuantSpec } from "./spec.ts";

/** relMse / SQNR of `t` under each weight spec (specs without a weight part are skipped). */
export async function tensorQuantErrors(source: TensorSource, t: TensorInfo, specs: QuantSpec[], chunkBytes?: number): Promise<Map<string, QuantError>> {
  const out = new Map<string, QuantError>();
  const ws = specs.filter((s) => s.weight);
  if (t.shape.length !== 2 || ws.length === 0) return out;
  const sums = ws.map(() => ({ signal: 0, noise: 0 }));
  const measure = (x: Float32Array, rows: number, cols: number) => {
    let signal = 0;
    for (let i = 0; i < x.length; i++) { const v = x[i]!; if (v - v === 0) signal += v * v; }
    ws.forEach((s, k) => {
      const e = matrixQuantError(x, rows, cols, s.weight!);
      sums[k]!.signal += signal;
      sums[k]!.noise += e.relMse === null ? 0 : e.relMse * signal;
    });
  };
  const [r, c] = [t.shape[0]!, t.shape[1]!];
  if (t.layout === "in_out") {
    const x = new Float32Array(t.numel);
    let o = 0;
    for await (const chunk of source.readRaw(t)) { const v = decodeToF32(t.dtype, chunk); x.set(v, o); o += v.length; }
    measure(transpose(x, r, c), c, r); // [in, out] -> [out, in]
  } else {
    let carry = new Float32Array(0); // a chunk may end mid-row: keep the tail for the next one
    for await (const chunk of source.readRaw(t, chunkBytes)) {
      const v = decodeToF32(t.dtype, chunk);
      const x = carry.length ? concat(carry, v) : v;
      const whole = Math.floor(x.length / c) * c;
      if (whole) measure(x.subarray(0, whole), whole / c, c);
      carry = x.slice(whole);
    }
  }
  ws.forEach((s, k) => out.set(s.text, errorFromSums(sums[k]!.signal, sums[k]!.noise)));
  return out;
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const y = new Float32Array(a.length + b.length);
  y.set(a);
  y.set(b, a.length);
  return y;
}
