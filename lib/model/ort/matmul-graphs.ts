/**
 * The one-node (or one-chain) ONNX graphs of the onnxruntime-web matmul peer, built in memory with
 * lib/model/ort/onnx-writer.ts, each with its inputs and a scalar JS check of its output:
 *   f32            MatMul(A f32 [M,K], B f32 [K,N])
 *   mmi_u8s8/u8u8  MatMulInteger(A u8, B s8|u8, zero points) -> int32
 *   qlinear        QLinearMatMul(A u8, B s8, scales, zero points) -> u8
 *   dynamic        DynamicQuantizeLinear(x f32) -> MatMulInteger(B s8) -> Cast -> Mul(scale) -> f32
 *   nbits          com.microsoft MatMulNBits(A f32, B 4-bit blocks, scales; zero point 8)
 */
import * as ort from "onnxruntime-web";
import { encodeModel, OnnxType, rawBytes, type NodeSpec, type TensorSpec } from "./onnx-writer.ts";

/** A graph to time: model bytes, its feeds, and a check of the first output. */
export interface MatmulCase { model: Uint8Array; feeds: Record<string, ort.Tensor>; check(out: ort.Tensor): void }

/** Deterministic uniform [0, 1) (xorshift32). */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 2 ** 32; };
}
const rne = (x: number) => (Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x));
const scalar = (name: string, dataType: number, data: ArrayBufferView): TensorSpec => ({ name, dataType, dims: [], data: rawBytes(data) });

/** Encodes one graph: inputs A (and more), initializers, nodes, output Y. */
function graph(nodes: NodeSpec[], a: [number, number], aType: number, inits: TensorSpec[], yType: number, n: number, ms = false): Uint8Array {
  return encodeModel({ nodes, initializers: inits, inputs: [{ name: "A", elemType: aType, shape: a }],
    outputs: [{ name: "Y", elemType: yType, shape: [a[0], n] }], opsets: ms ? { "": 21, "com.microsoft": 1 } : { "": 21 } });
}

/** Row m of the scalar result and the tolerance of each of its elements. */
type RefRow = (m: number) => { r: Float64Array; tol: (n: number) => number };

/** Checks rows 0, M/2 and M-1 of the output against `ref`. */
function checker(label: string, M: number, ref: RefRow) {
  return (out: ort.Tensor) => {
    const y = out.data as ArrayLike<number>, N = out.dims.at(-1)!;
    for (const m of new Set([0, M >> 1, M - 1])) {
      const { r, tol } = ref(m);
      for (let n = 0; n < N; n++) {
        const d = Math.abs(y[m * N + n]! - r[n]!);
        if (!(d <= tol(n))) throw new Error(`${label}: Y[${m}][${n}] = ${y[m * N + n]}, scalar ${r[n]} (tolerance ${tol(n)})`);
      }
    }
  };
}

/** Row m of (A - az) [M,K] @ (B - bz) [K,N] in float64, and sum |a b| per output (for tolerances). */
function refRow(a: ArrayLike<number>, b: ArrayLike<number>, m: number, K: number, N: number, az = 0, bz = 0) {
  const r = new Float64Array(N), abs = new Float64Array(N);
  for (let k = 0; k < K; k++) {
    const x = a[m * K + k]! - az;
    for (let n = 0; n < N; n++) { const p = x * (b[k * N + n]! - bz); r[n] += p; abs[n] += Math.abs(p); }
  }
  return { r, abs };
}

/** f32 MatMul. */
export function f32Case(M: number, K: number, N: number): MatmulCase {
  const g = rng(1), A = Float32Array.from({ length: M * K }, () => g() * 2 - 1), B = Float32Array.from({ length: K * N }, () => g() * 2 - 1);
  return {
    model: graph([{ opType: "MatMul", inputs: ["A", "B"], outputs: ["Y"] }], [M, K], OnnxType.FLOAT,
      [{ name: "B", dataType: OnnxType.FLOAT, dims: [K, N], data: rawBytes(B) }], OnnxType.FLOAT, N),
    feeds: { A: new ort.Tensor("float32", A, [M, K]) },
    check: checker("f32 MatMul", M, (m) => { const x = refRow(A, B, m, K, N); return { r: x.r, tol: (n) => 1e-5 * x.abs[n]! + 1e-6 }; }),
  };
}

/** MatMulInteger, A uint8 (zero point 128), B int8 (zero point 0) or uint8 (zero point 128): exact int32. */
export function matMulIntegerCase(M: number, K: number, N: number, bSigned: boolean): MatmulCase {
  const g = rng(2), A = Uint8Array.from({ length: M * K }, () => Math.floor(g() * 256));
  const B = bSigned ? Int8Array.from({ length: K * N }, () => Math.floor(g() * 255) - 127) : Uint8Array.from({ length: K * N }, () => Math.floor(g() * 256));
  const bz = bSigned ? 0 : 128;
  return {
    model: graph([{ opType: "MatMulInteger", inputs: ["A", "B", "az", "bz"], outputs: ["Y"] }], [M, K], OnnxType.UINT8, [
      { name: "B", dataType: bSigned ? OnnxType.INT8 : OnnxType.UINT8, dims: [K, N], data: rawBytes(B) },
      scalar("az", OnnxType.UINT8, Uint8Array.of(128)),
      scalar("bz", bSigned ? OnnxType.INT8 : OnnxType.UINT8, Uint8Array.of(bz)),
    ], OnnxType.INT32, N),
    feeds: { A: new ort.Tensor("uint8", A, [M, K]) },
    check: checker(`MatMulInteger u8${bSigned ? "s8" : "u8"}`, M, (m) => ({ r: refRow(A, B, m, K, N, 128, bz).r, tol: () => 0 })),
  };
}

/** QLinearMatMul u8 x s8 -> u8 (requantized around 128; off by one allowed for the fixed-point rounding). */
export function qlinearCase(M: number, K: number, N: number): MatmulCase {
  const g = rng(3), A = Uint8Array.from({ length: M * K }, () => Math.floor(g() * 256));
  const B = Int8Array.from({ length: K * N }, () => Math.floor(g() * 255) - 127);
  const aS = 0.02, bS = 0.01, yS = (Math.sqrt(K) * 74 * 73 * aS * bS) / 40; // accumulator std -> 40 codes
  const f = Math.fround(aS) * Math.fround(bS) / Math.fround(yS);
  return {
    model: graph([{ opType: "QLinearMatMul", inputs: ["A", "as", "az", "B", "bs", "bz", "ys", "yz"], outputs: ["Y"] }], [M, K], OnnxType.UINT8, [
      { name: "B", dataType: OnnxType.INT8, dims: [K, N], data: rawBytes(B) },
      scalar("as", OnnxType.FLOAT, Float32Array.of(aS)), scalar("az", OnnxType.UINT8, Uint8Array.of(128)),
      scalar("bs", OnnxType.FLOAT, Float32Array.of(bS)), scalar("bz", OnnxType.INT8, Int8Array.of(0)),
      scalar("ys", OnnxType.FLOAT, Float32Array.of(yS)), scalar("yz", OnnxType.UINT8, Uint8Array.of(128)),
    ], OnnxType.UINT8, N),
    feeds: { A: new ort.Tensor("uint8", A, [M, K]) },
    check: checker("QLinearMatMul", M, (m) => ({ r: refRow(A, B, m, K, N, 128).r.map((acc) => Math.min(255, Math.max(0, rne(acc * f) + 128))), tol: () => 1 })),
  };
}

/** DynamicQuantizeLinear + MatMulInteger + Cast + Mul from float input (ORT's dynamic quantization pattern). */
export function dynamicCase(M: number, K: number, N: number): MatmulCase {
  const g = rng(4), X = Float32Array.from({ length: M * K }, () => g() * 2 - 1);
  const B = Int8Array.from({ length: K * N }, () => Math.floor(g() * 255) - 127), bS = 0.01;
  const ref = (m: number) => { // the operator's own quantization of row m (per tensor: min/max over all of X)
    let lo = 0, hi = 0;
    for (const x of X) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
    const s = Math.fround((hi - lo) / 255), z = Math.min(255, Math.max(0, rne(-lo / s)));
    const q = Array.from(X.subarray(m * K, (m + 1) * K), (x) => Math.min(255, Math.max(0, rne(x / s) + z)));
    const r = refRow(q, B, 0, K, N, z).r.map((acc) => acc * s * bS), max = r.reduce((a, x) => Math.max(a, Math.abs(x)), 0);
    return { r, tol: () => 2e-3 * max };
  };
  return {
    model: graph([
      { opType: "DynamicQuantizeLinear", inputs: ["A"], outputs: ["q", "s", "z"] },
      { opType: "MatMulInteger", inputs: ["q", "B", "z"], outputs: ["acc"] },
      { opType: "Cast", inputs: ["acc"], outputs: ["accf"], attrs: { to: OnnxType.FLOAT } },
      { opType: "Mul", inputs: ["s", "bs"], outputs: ["scale"] },
      { opType: "Mul", inputs: ["accf", "scale"], outputs: ["Y"] },
    ], [M, K], OnnxType.FLOAT, [
      { name: "B", dataType: OnnxType.INT8, dims: [K, N], data: rawBytes(B) }, scalar("bs", OnnxType.FLOAT, Float32Array.of(bS)),
    ], OnnxType.FLOAT, N),
    feeds: { A: new ort.Tensor("float32", X, [M, K]) },
    check: checker("DynamicQuantizeLinear+MatMulInteger", M, ref),
  };
}

/** com.microsoft MatMulNBits, 4 bits, blocks of `block` along K, no zero points (8), accuracy_level `acc`. */
export function nbitsCase(M: number, K: number, N: number, block: number, acc: number): MatmulCase {
  const g = rng(5), A = Float32Array.from({ length: M * K }, () => g() * 2 - 1), nb = K / block;
  const codes = Uint8Array.from({ length: N * K }, () => Math.floor(g() * 16)); // [N, K]
  const scales = Float32Array.from({ length: N * nb }, () => 0.01 + g() * 0.01);
  const packed = new Uint8Array(N * K / 2);
  for (let i = 0; i < packed.length; i++) packed[i] = codes[2 * i]! | (codes[2 * i + 1]! << 4);
  const W = new Float32Array(K * N); // dequantized, [K, N]
  for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) W[k * N + n] = (codes[n * K + k]! - 8) * scales[n * nb + Math.floor(k / block)]!;
  return {
    model: graph([{ opType: "MatMulNBits", domain: "com.microsoft", inputs: ["A", "B", "scales"], outputs: ["Y"],
      attrs: { K, N, bits: 4, block_size: block, accuracy_level: acc } }], [M, K], OnnxType.FLOAT, [
      { name: "B", dataType: OnnxType.UINT8, dims: [N, nb, block / 2], data: packed },
      { name: "scales", dataType: OnnxType.FLOAT, dims: [N, nb], data: rawBytes(scales) },
    ], OnnxType.FLOAT, N, true),
    feeds: { A: new ort.Tensor("float32", A, [M, K]) },
    check: checker(`MatMulNBits b${block} acc${acc}`, M, (m) => {
      const x = refRow(A, W, m, K, N);
      return { r: x.r, tol: (n) => (acc === 4 ? 1e-2 : 1e-5) * x.abs[n]! + 1e-6 };
    }),
  };
}
