/**
 * The KV cache of one sequence: per layer, position and KV head, headDim keys (after RoPE) and
 * values. Float32, or quantized per token and head (Qllm-Eval's KV semantics: asymmetric over
 * head_dim, or per group of head_dim when head_dim is larger than the group) and stored as
 * bit-packed codes (8, 4, 3 or 2 bits, LSB first) with one f32 scale and zero per group.
 */
import { quantizeCodes } from "./kv-codes.ts";

export interface KvQuant { bits: number; groupSize: number }

export class KvCache {
  private readonly k: Float32Array | Uint8Array;
  private readonly v: Float32Array | Uint8Array;
  private readonly kScale: Float32Array; private readonly kZero: Float32Array;
  private readonly vScale: Float32Array; private readonly vZero: Float32Array;
  /** group length along head_dim and groups per (position, head) */
  readonly group: number; readonly groups: number;
  /** bytes of one (position, head) row of codes */
  private readonly rowBytes: number;

  constructor(
    readonly nLayers: number, readonly capacity: number, readonly nKvHeads: number, readonly headDim: number,
    readonly quant: KvQuant | null = null,
  ) {
    const rows = nLayers * capacity * nKvHeads;
    this.group = quant && headDim > quant.groupSize && headDim % quant.groupSize === 0 ? quant.groupSize : headDim;
    this.groups = headDim / this.group;
    this.rowBytes = quant ? Math.ceil((headDim * quant.bits) / 8) : 0;
    const alloc = () => (quant ? new Uint8Array(rows * this.rowBytes) : new Float32Array(rows * headDim));
    this.k = alloc(); this.v = alloc();
    const g = quant ? rows * this.groups : 0;
    this.kScale = new Float32Array(g); this.kZero = new Float32Array(g);
    this.vScale = new Float32Array(g); this.vZero = new Float32Array(g);
  }

  /** Stores M positions from `pos0` of layer `l` (k, v: [M, nKvHeads * headDim]). */
  write(l: number, pos0: number, M: number, k: Float32Array, v: Float32Array): void {
    if (pos0 + M > this.capacity) throw new RangeError(`KvCache: position ${pos0 + M} past capacity ${this.capacity}`);
    const { nKvHeads: H, headDim: D } = this;
    for (let m = 0; m < M; m++) {
      for (let h = 0; h < H; h++) {
        const row = (l * this.capacity + pos0 + m) * H + h;
        const src = (m * H + h) * D;
        this.store(this.k, this.kScale, this.kZero, row, k.subarray(src, src + D));
        this.store(this.v, this.vScale, this.vZero, row, v.subarray(src, src + D));
      }
    }
  }

  /** Keys (which = 0) or values (1) of layer `l`, positions [0, T), as float32 [T, nKvHeads * headDim]. */
  read(l: number, which: 0 | 1, T: number, out: Float32Array): Float32Array {
    const { nKvHeads: H, headDim: D } = this;
    const codes = which === 0 ? this.k : this.v;
    const base = l * this.capacity * H;
    if (!this.quant) {
      out.set((codes as Float32Array).subarray(base * D, (base + T * H) * D));
      return out;
    }
    const scale = which === 0 ? this.kScale : this.vScale, zero = which === 0 ? this.kZero : this.vZero;
    const { bits } = this.quant;
    const mask = (1 << bits) - 1;
    for (let r = 0; r < T * H; r++) {
      const bo = (base + r) * this.rowBytes * 8, go = (base + r) * this.groups;
      for (let i = 0; i < D; i++) {
        const bit = bo + i * bits;
        const byte = bit >>> 3, shift = bit & 7;
        const word = codes[byte]! | ((codes[byte + 1] ?? 0) << 8);
        const q = (word >>> shift) & mask;
        const g = go + Math.floor(i / this.group);
        out[r * D + i] = Math.fround(Math.fround(q - zero[g]!) * scale[g]!);
      }
    }
    return out;
  }

  private store(dst: Float32Array | Uint8Array, scale: Float32Array, zero: Float32Array, row: number, x: Float32Array): void {
    if (!this.quant) { (dst as Float32Array).set(x, row * this.headDim); return; }
    const { bits } = this.quant;
    const bytes = dst as Uint8Array;
    const bo = row * this.rowBytes * 8;
    bytes.fill(0, row * this.rowBytes, (row + 1) * this.rowBytes);
    for (let g = 0; g < this.groups; g++) {
      const part = x.subarray(g * this.group, (g + 1) * this.group);
      const codes = quantizeCodes(part, bits);
      scale[row * this.groups + g] = codes.scale;
      zero[row * this.groups + g] = codes.zero;
      for (let i = 0; i < part.length; i++) {
        const bit = bo + (g * this.group + i) * bits;
        const word = codes.codes[i]! << (bit & 7);
        bytes[bit >>> 3] |= word & 0xff;
        if (word > 0xff) bytes[(bit >>> 3) + 1] |= word >>> 8;
      }
    }
  }
}
