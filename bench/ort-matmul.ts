/**
 * onnxruntime-web as the speed peer of our integer kernels: GOPS = 2*M*N*K / s / 1e9 of one
 * session.run of a one-matmul graph (bench/onnx-writer.ts), one wasm thread, weights as
 * initializers, best of REPS after warm-up, each graph's output checked against a scalar JS
 * computation first. Shapes: decode (gemv) M=1, K=N=4096; prefill (gemm) M=128, K=N=2048.
 *   ort_f32_{gemv,gemm}_gops             MatMul
 *   ort_int8_{gemv,gemm}_<variant>_gops  matmulinteger (u8 x s8), matmulinteger_u8u8, qlinear,
 *                                        dynamic (DynamicQuantizeLinear + MatMulInteger from f32)
 *   ort_int8_{gemv,gemm}_gops            the fastest int8 variant
 *   ort_int4_{gemv,gemm}_b<block>[_acc4]_gops  MatMulNBits bits=4 (accuracy_level 0, or 4 = int8 compute)
 *   ort_int4_{gemv,gemm}_gops            the fastest 4-bit variant
 */
import * as ort from "onnxruntime-web";
import { dynamicCase, f32Case, matMulIntegerCase, nbitsCase, qlinearCase, type MatmulCase } from "../lib/model/ort/matmul-graphs.ts";

const REPS = 5;
/** each timed rep repeats run() until it lasts at least this long */
const MIN_REP_MS = 40;
const SHAPES = { gemv: [1, 4096, 4096], gemm: [128, 2048, 2048] } as const;

/** ms of this process's CPU time (user + system) */
const cpuMs = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1e3; };

/** GOPS of one case: validated once, warmed up, best of REPS; `clock` "cpu" times this process's CPU time instead of wall time (bench/gemm-shapes.ts). */
export async function timeCase(c: MatmulCase, M: number, K: number, N: number, clock: "wall" | "cpu" = "wall"): Promise<number> {
  const now = clock === "cpu" ? cpuMs : () => performance.now();
  const session = await ort.InferenceSession.create(c.model, { graphOptimizationLevel: "all" });
  try {
    const out = session.outputNames[0]!;
    const run = async () => { const r = await session.run(c.feeds); r[out]!.dispose(); };
    const first = await session.run(c.feeds);
    c.check(first[out]!); // validate before benchmarking
    first[out]!.dispose();
    let inner = 1;
    for (;;) { // warm-up, and calibrate runs per rep
      const t0 = performance.now();
      for (let i = 0; i < inner; i++) await run();
      if (performance.now() - t0 >= MIN_REP_MS) break;
      inner *= 2;
    }
    let best = Infinity;
    for (let r = 0; r < REPS; r++) {
      const t0 = now();
      for (let i = 0; i < inner; i++) await run();
      best = Math.min(best, (now() - t0) / inner);
    }
    return +((2 * M * N * K) / (best / 1e3) / 1e9).toFixed(3);
  } finally {
    await session.release();
  }
}

/** The figures above; `log` gets one progress line per figure. */
export async function ortMatmulFigures(log: (s: string) => void = () => {}): Promise<Record<string, number>> {
  ort.env.wasm.numThreads = 1;
  const out: Record<string, number> = {};
  const fig = async (key: string, make: (M: number, K: number, N: number) => MatmulCase, M: number, K: number, N: number) => {
    out[key] = await timeCase(make(M, K, N), M, K, N);
    log(`${key} ${out[key]}`);
    return out[key]!;
  };
  for (const [shape, [M, K, N]] of Object.entries(SHAPES)) {
    await fig(`ort_f32_${shape}_gops`, f32Case, M, K, N);
    const int8 = [
      await fig(`ort_int8_${shape}_matmulinteger_gops`, (m, k, n) => matMulIntegerCase(m, k, n, true), M, K, N),
      await fig(`ort_int8_${shape}_matmulinteger_u8u8_gops`, (m, k, n) => matMulIntegerCase(m, k, n, false), M, K, N),
      await fig(`ort_int8_${shape}_qlinear_gops`, qlinearCase, M, K, N),
      await fig(`ort_int8_${shape}_dynamic_gops`, dynamicCase, M, K, N),
    ];
    out[`ort_int8_${shape}_gops`] = Math.max(...int8);
    const int4: number[] = [];
    for (const block of [32, 128]) {
      for (const acc of [0, 4]) {
        int4.push(await fig(`ort_int4_${shape}_b${block}${acc ? `_acc${acc}` : ""}_gops`, (m, k, n) => nbitsCase(m, k, n, block, acc), M, K, N));
      }
    }
    out[`ort_int4_${shape}_gops`] = Math.max(...int4);
  }
  return out;
}
