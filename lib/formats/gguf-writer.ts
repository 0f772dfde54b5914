/** Builds GGUF files in memory (layout as in ggml docs/gguf.md): the tests' fixtures and the bench's llama.cpp peer headers. */

/** Little-endian byte builder. */
export class Bytes {
  private parts: number[] = [];
  get length(): number { return this.parts.length; }
  u8(v: number): this { this.parts.push(v & 0xff); return this; }
  u32(v: number): this { for (let i = 0; i < 4; i++) this.u8(Math.floor(v / 2 ** (8 * i))); return this; }
  u64(v: number | bigint): this {
    const b = BigInt.asUintN(64, BigInt(v));
    for (let i = 0n; i < 8n; i++) this.u8(Number((b >> (8n * i)) & 0xffn));
    return this;
  }
  f32(v: number): this { const a = new Uint8Array(new Float32Array([v]).buffer); a.forEach((x) => this.u8(x)); return this; }
  raw(a: Uint8Array | number[]): this { for (const x of a) this.u8(x); return this; }
  str(s: string): this { const a = new TextEncoder().encode(s); return this.u64(a.length).raw(a); }
  pad(align: number): this { while (this.parts.length % align) this.u8(0); return this; }
  done(): Uint8Array { return Uint8Array.from(this.parts); }
}

/** GGUF metadata value types. */
export const T = { U8: 0, I8: 1, U16: 2, I16: 3, U32: 4, I32: 5, F32: 6, BOOL: 7, STRING: 8, ARRAY: 9, U64: 10, I64: 11, F64: 12 } as const;

export interface KV { key: string; type: number; write: (b: Bytes) => void }
export interface TensorSpec { name: string; ne: number[]; type: number; offset?: number; data: Uint8Array }

/** KV helpers: a u32, a string, a string array. */
export const kvU32 = (key: string, v: number): KV => ({ key, type: T.U32, write: (b) => b.u32(v) });
export const kvStr = (key: string, v: string): KV => ({ key, type: T.STRING, write: (b) => b.str(v) });
export const kvF32 = (key: string, v: number): KV => ({ key, type: T.F32, write: (b) => b.f32(v) });
export const kvStrArray = (key: string, v: string[]): KV => ({
  key, type: T.ARRAY, write: (b) => { b.u32(T.STRING).u64(v.length); v.forEach((s) => b.str(s)); },
});

/** A GGUF file: header, kvs, tensor infos, padding to `alignment`, tensor data at aligned offsets. */
export function buildGguf(o: { version?: number; kvs?: KV[]; tensors?: TensorSpec[]; alignment?: number }): Uint8Array {
  const align = o.alignment ?? 32;
  const kvs = o.kvs ?? [];
  const tensors = o.tensors ?? [];
  const b = new Bytes().u32(0x46554747).u32(o.version ?? 3).u64(tensors.length).u64(kvs.length);
  for (const kv of kvs) { b.str(kv.key).u32(kv.type); kv.write(b); }
  let off = 0;
  const offsets = tensors.map((t) => {
    const at = t.offset ?? off;
    off = Math.ceil((at + t.data.length) / align) * align;
    return at;
  });
  tensors.forEach((t, i) => {
    b.str(t.name).u32(t.ne.length);
    t.ne.forEach((d) => b.u64(d));
    b.u32(t.type).u64(offsets[i]!);
  });
  b.pad(align);
  const start = b.length;
  const end = tensors.reduce((n, t, i) => Math.max(n, offsets[i]! + t.data.length), 0);
  const data = new Uint8Array(end);
  tensors.forEach((t, i) => data.set(t.data, offsets[i]!));
  const head = b.done();
  const out = new Uint8Array(start + end);
  out.set(head);
  out.set(data, start);
  return out;
}

/** float32 values as little-endian bytes. */
export function f32Bytes(values: number[]): Uint8Array {
  return new Uint8Array(new Float32Array(values).buffer);
}
