/**
 * Integer and f32 GEMV/GEMM figures of lib/kernels/gemm-kernel.ts, one thread: GOPS =
 * 2 M N K / s / 1e9 of one typed call (copy-in of x or activation codes, prepA, kernel, copy-out),
 * weights already in kernel memory, best of REPS after a warm-up. Shapes as bench/ort-matmul.ts:
 * decode (gemv) M = 1, K = N = 4096; prefill (gemm) M = 128, K = N = 2048. Integer weights use
 * asymmetric zero points: int8 per output channel (one group per row: SmoothQuant-style W8A8, and the
 * per-column scales of ort's MatMulInteger), int4 in groups of INT4_GROUP along K (GPTQ/AWQ, ort's
 * MatMulNBits blocks); int8_gemm_g128 shows int8 with groups of 128. Activations: 8-bit per token.
 * Every kernel is first checked against its scalar twin (bit for bit for the integer ones, llm.c
 * style), and the twin against a float64 oracle on a few outputs.
 */
import { createGemmKernel, type GemmHandle, type GemmKernel } from "../lib/kernels/gemm-kernel.ts";
import type { PackedMatrix, QuantizedActivations } from "../lib/kernels/types.ts";

const REPS = 5;
/** each timed rep repeats the call until it lasts at least this long */
const MIN_REP_MS = 40;
/** group size along K of the integer weights (the usual 128 of GPTQ/AWQ checkpoints) */
const INT4_GROUP = 128;
const GEMV = { M: 1, K: 4096, N: 4096 }, GEMM = { M: 128, K: 2048, N: 2048 };

/** deterministic packed matrix: codes spread over [0, 2^bits - 1], asymmetric zeros */
function packed(bits: 4 | 8, rows: number, cols: number, group: number): PackedMatrix {
  const rowBytes = bits === 8 ? cols : cols / 2, ng = rows * (cols / group), max = 2 ** bits - 1;
  const data = new Uint8Array(rows * rowBytes);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
  const scales = Float32Array.from({ length: ng }, (_, i) => 0.01 + 0.001 * (i % 7));
  const zeros = Float32Array.from({ length: ng }, (_, i) => (i * 37) % (max + 1));
  return { bits, rows, cols, groupSize: group, rowBytes, data, scales, zeros };
}

function activations(rows: number, cols: number): QuantizedActivations {
  const codes = Uint8Array.from({ length: rows * cols }, (_, i) => ((i * 2246822519) >>> 24));
  return { bits: 8, rows, cols, codes, scales: new Float32Array(rows).fill(0.02), zeros: new Float32Array(rows).fill(128) };
}

/** Best-of-REPS timings of one figure: wall seconds (the figure) and this process's CPU seconds. */
interface Timing { wall: number; cpu: number }

/** Times `fn` on an M x N x K product: warm-up and calibration, then best of REPS (wall and CPU separately). */
export function time(fn: () => unknown): Timing {
  let inner = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < inner; i++) fn();
    if (performance.now() - t0 >= MIN_REP_MS) break;
    inner *= 2;
  }
  const best = { wall: Infinity, cpu: Infinity };
  for (let r = 0; r < REPS; r++) {
    const c0 = process.cpuUsage(), t0 = performance.now();
    for (let i = 0; i < inner; i++) fn();
    const t = (performance.now() - t0) / 1e3, c = process.cpuUsage(c0);
    best.wall = Math.min(best.wall, t / inner);
    best.cpu = Math.min(best.cpu, (c.user + c.system) / 1e6 / inner);
  }
  return best;
}

export const gopsOf = (M: number, N: number, K: number, s: number) => +((2 * M * N * K) / s / 1e9).toFixed(3);

/** Throws unless the SIMD call equals the scalar twin bit for bit (integer) or within `rel` (f32). */
function validate(k: GemmKernel, name: string, call: () => Float32Array, rel = 0): void {
  k.useSimd = true;
  const s = call();
  k.useSimd = false;
  const r = call();
  k.useSimd = true;
  for (let i = 0; i < s.length; i++) {
    const ok = rel === 0 ? Object.is(s[i], r[i]) : Math.abs(s[i]! - r[i]!) <= rel * Math.max(1, Math.abs(r[i]!));
    if (!ok) throw new Error(`bench gemm: ${name} SIMD ${s[i]} != Ref ${r[i]} at ${i}`);
  }
}

/** Throws when output `n` of token 0 of the integer kernel differs from a float64 oracle by more than the combination bound. */
function checkOracle(name: string, p: PackedMatrix, a: QuantizedActivations, y: Float32Array): void {
  const ng = p.cols / p.groupSize;
  for (const n of [0, 1, p.rows - 1]) {
    let want = 0, mag = 0;
    for (let gi = 0; gi < ng; gi++) {
      let isum = 0;
      for (let k = gi * p.groupSize; k < (gi + 1) * p.groupSize; k++) {
        const cw = p.bits === 8 ? p.data[n * p.rowBytes + k]! : (p.data[n * p.rowBytes + (k >> 1)]! >> ((k & 1) * 4)) & 15;
        isum += (cw - p.zeros[n * ng + gi]!) * (a.codes[k]! - a.zeros[0]!);
      }
      const term = isum * p.scales[n * ng + gi]! * a.scales[0]!;
      want += term;
      mag += Math.abs(term);
    }
    if (Math.abs(y[n]! - want) > (ng + 3) * 2 ** -24 * mag) throw new Error(`bench gemm: ${name} output ${n} = ${y[n]}, oracle ${want}`);
  }
}

/** The CONTRACT figures (bench/README.md); `log` gets one progress line per step. */
export async function gemmFigures(log: (s: string) => void = () => {}): Promise<Record<string, number>> {
  const k = await createGemmKernel();
  const out: Record<string, number> = {};
  const handles: GemmHandle[] = [];
  const load = (p: PackedMatrix) => { const h = k.loadPackedMatrix(p); handles.push(h); return h; };
  try {
    log("bench gemm: loading 4096 x 4096 int8 / int4 / f32 and 2048 x 2048 int8 weights");
    const p8 = packed(8, GEMV.N, GEMV.K, GEMV.K), p4 = packed(4, GEMV.N, GEMV.K, INT4_GROUP), p8m = packed(8, GEMM.N, GEMM.K, GEMM.K);
    const h8 = load(p8), h4 = load(p4), h8m = load(p8m), h4m = load(packed(4, GEMM.N, GEMM.K, INT4_GROUP));
    const h8g = load(packed(8, GEMM.N, GEMM.K, INT4_GROUP));
    const wf = Float32Array.from({ length: GEMV.N * GEMV.K }, (_, i) => Math.cos(i) * 0.05);
    const hf = k.loadF32Matrix(wf, GEMV.N, GEMV.K);
    handles.push(hf);
    const a1 = activations(1, GEMV.K), am = activations(GEMM.M, GEMM.K), a3 = activations(3, GEMM.K);
    const x1 = Float32Array.from({ length: GEMV.K }, (_, i) => Math.sin(i));

    log("bench gemm: validating SIMD kernels against their scalar twins");
    const relaxed = k.relaxedAvailable;
    k.useRelaxed = false;
    validate(k, "gemmW8A8", () => k.gemmQ(h8, a1));
    validate(k, "gemmW4A8", () => k.gemmQ(h4, a1));
    validate(k, "gemmW8A8 (M=3, 2048)", () => k.gemmQ(h8m, a3));
    validate(k, "gemmW4A8 (M=3, 2048)", () => k.gemmQ(h4m, a3));
    validate(k, "gemmW8A8 (M=3, 2048, g128)", () => k.gemmQ(h8g, a3));
    k.useV1 = true;
    validate(k, "gemmW8A8V1 (M=3, 2048)", () => k.gemmQ(h8m, a3));
    k.useV1 = false;
    validate(k, "gemmF32", () => k.gemm(hf, x1, 1), 1e-4);
    validate(k, "gemmW8F32", () => k.gemm(h8, x1, 1), 1e-4);
    validate(k, "gemmW4F32", () => k.gemm(h4, x1, 1), 1e-4);
    checkOracle("gemmW8A8", p8, a1, k.gemmQ(h8, a1));
    checkOracle("gemmW4A8", p4, a1, k.gemmQ(h4, a1));
    if (relaxed) {
      k.useRelaxed = true;
      validate(k, "gemmW4A8Relaxed", () => k.gemmQ(h4, a1));
      const plain = k.gemmQ(h4, a1);
      k.useRelaxed = false;
      if (!k.gemmQ(h4, a1).every((v, i) => Object.is(v, plain[i]))) throw new Error("bench gemm: relaxed W4A8 != plain W4A8");
    }

    log("bench gemm: timing");
    const y1 = new Float32Array(GEMV.N), ym = new Float32Array(GEMM.M * GEMM.N);
    // figure name, shape, call; contract figures also get *_cpu_gops (per CPU second of this process:
    // on a shared machine the wall figure falls with the load, the CPU one much less)
    const figures: Array<[string, typeof GEMV, () => unknown, boolean]> = [
      ["int8_gemv", GEMV, () => k.gemmQ(h8, a1, y1), true],
      ["int4_gemv", GEMV, () => k.gemmQ(h4, a1, y1), true],
      ["int8_gemm", GEMM, () => k.gemmQ(h8m, am, ym), true],
      ["int4_gemm", GEMM, () => k.gemmQ(h4m, am, ym), false],
      ["int8_gemm_g128", GEMM, () => k.gemmQ(h8g, am, ym), false],
      ["int8_gemm_v1", GEMM, () => { k.useV1 = true; k.gemmQ(h8m, am, ym); k.useV1 = false; }, false],
      ["f32_gemv", GEMV, () => k.gemm(hf, x1, 1, y1), true],
      ["w8_f32_gemv", GEMV, () => k.gemm(h8, x1, 1, y1), false],
      ["w4_f32_gemv", GEMV, () => k.gemm(h4, x1, 1, y1), false],
      ["int8_gemv_scalar", GEMV, () => { k.useSimd = false; k.gemmQ(h8, a1, y1); k.useSimd = true; }, false],
    ];
    if (relaxed) figures.splice(2, 0, ["int4_gemv_relaxed", GEMV, () => { k.useRelaxed = true; k.gemmQ(h4, a1, y1); k.useRelaxed = false; }, true]);
    for (const [name, s, fn, cpu] of figures) {
      const t = time(fn);
      out[`${name}_gops`] = gopsOf(s.M, s.N, s.K, t.wall);
      if (cpu) out[`${name}_cpu_gops`] = gopsOf(s.M, s.N, s.K, t.cpu);
    }
    out.int4_group_size = INT4_GROUP;
    return out;
  } finally {
    for (const h of handles) k.free(h);
  }
}

// `tsx bench/gemm.ts`: these figures alone
if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await gemmFigures((s) => process.stderr.write(`${s}\n`));
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}
