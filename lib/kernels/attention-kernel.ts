/**
 * Typed wrapper of kernels-wasm/assembly/attention.ts: one instance per thread (compiled
 * synchronously: the module is a few KiB, which browsers allow off the main thread and Node
 * always), memory grown on demand, SIMD or the scalar twin (`useSimd`).
 */
import { WASM_BASE64 } from "./generated/attention-wasm.ts";

type Fn = (q: number, keys: number, vals: number, out: number, att: number, acc: number,
  M: number, pos0: number, nHeads: number, nKvHeads: number, headDim: number, window: number, scale: number) => void;
interface Exports { memory: WebAssembly.Memory; attention: Fn; attentionRef: Fn }

/** bounds growth: a 32k-token window of a 70B model's KV (8 KV heads x 128) is 2 x 128 MiB */
export const MAX_ATTENTION_MEMORY_BYTES = 1024 * 1024 * 1024;
const PAGE = 65536;
const align = (n: number) => Math.ceil(n / 16) * 16;

export class AttentionKernel {
  useSimd = true;
  private constructor(private readonly ex: Exports) {}

  /** Instantiates the embedded module (synchronously). */
  static create(): AttentionKernel {
    const bin = atob(WASM_BASE64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new AttentionKernel(new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as Exports);
  }

  /**
   * out[M, nHeads*headDim] = causal attention of q [M, nHeads*headDim] over keys/vals
   * [T = pos0 + M, nKvHeads*headDim] (see attention.ts for the semantics); `window` > 0 limits each
   * query to its last `window` keys (sliding window), `scale` multiplies q.k (default 1/sqrt(headDim)).
   */
  run(out: Float32Array, q: Float32Array, keys: Float32Array, vals: Float32Array, M: number, pos0: number, nHeads: number, nKvHeads: number, headDim: number, window = 0, scale = 1 / Math.sqrt(headDim)): void {
    const T = pos0 + M, dim = nHeads * headDim, kvDim = nKvHeads * headDim;
    if (q.length < M * dim || out.length < M * dim || keys.length < T * kvDim || vals.length < T * kvDim || nHeads % nKvHeads !== 0) {
      throw new RangeError(`attention kernel: shapes q ${q.length}, keys ${keys.length}, vals ${vals.length}, out ${out.length} do not fit M ${M}, T ${T}, heads ${nHeads}/${nKvHeads} x ${headDim}`);
    }
    const base = 65536; // the module's static data (Mathf.exp tables) lives in the first page
    const pq = base, pk = pq + align(M * dim * 4), pv = pk + align(T * kvDim * 4), po = pv + align(T * kvDim * 4);
    const pa = po + align(M * dim * 4), pc = pa + align(T * 4), end = pc + align(headDim * 4);
    this.reserve(end);
    const f = new Float32Array(this.ex.memory.buffer);
    f.set(q.subarray(0, M * dim), pq / 4);
    f.set(keys.subarray(0, T * kvDim), pk / 4);
    f.set(vals.subarray(0, T * kvDim), pv / 4);
    (this.useSimd ? this.ex.attention : this.ex.attentionRef)(pq, pk, pv, po, pa, pc, M, pos0, nHeads, nKvHeads, headDim, window, scale);
    out.set(new Float32Array(this.ex.memory.buffer, po, M * dim));
  }

  private reserve(bytes: number): void {
    if (bytes > MAX_ATTENTION_MEMORY_BYTES) throw new RangeError(`attention kernel: ${bytes} bytes exceed MAX_ATTENTION_MEMORY_BYTES`);
    const have = this.ex.memory.buffer.byteLength;
    if (bytes > have) this.ex.memory.grow(Math.ceil((bytes - have) / PAGE));
  }
}

let shared: AttentionKernel | null = null;
/** This thread's attention kernel. */
export function attentionKernel(): AttentionKernel {
  return (shared ??= AttentionKernel.create());
}
