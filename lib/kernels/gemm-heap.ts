/**
 * First-fit allocator over a WebAssembly.Memory owned by the host: 64-byte aligned blocks, free
 * blocks coalesced, memory grown on demand up to a limit. The kernels allocate nothing themselves.
 */
const PAGE = 65536;
const ALIGN = 64;

export class WasmHeap {
  /** free blocks [start, end), sorted by start, never adjacent */
  private free: Array<[number, number]> = [];
  private top: number;
  private readonly sizes = new Map<number, number>();

  /** Blocks start at `base` (keeps the modules' static area and the null page out of reach). */
  constructor(readonly memory: WebAssembly.Memory, base: number, readonly limit: number) {
    this.top = base;
  }

  /** Bytes currently handed out (for tests and leak checks). */
  get used(): number {
    let n = 0;
    for (const s of this.sizes.values()) n += s;
    return n;
  }

  /** Whether alloc(bytes) would succeed and still leave `reserve` bytes below `limit` for later blocks. */
  fits(bytes: number, reserve = 0): boolean {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    if (this.top + size + reserve <= this.limit) return true;
    return this.free.some(([s, e]) => e - s >= size) && this.top + reserve <= this.limit;
  }

  /** A 64-byte aligned block of at least `bytes`; RangeError past `limit`. */
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    for (let i = 0; i < this.free.length; i++) {
      const [s, e] = this.free[i]!;
      if (e - s < size) continue;
      if (e - s === size) this.free.splice(i, 1);
      else this.free[i] = [s + size, e];
      this.sizes.set(s, size);
      return s;
    }
    const ptr = this.top, end = ptr + size;
    if (end > this.limit) throw new RangeError(`gemm kernel: ${end} bytes of wasm memory needed, above the limit of ${this.limit}`);
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
    this.top = end;
    this.sizes.set(ptr, size);
    return ptr;
  }

  /** Returns a block from alloc (a second release throws). */
  release(ptr: number): void {
    const size = this.sizes.get(ptr);
    if (size === undefined) throw new Error(`gemm kernel: release of ${ptr}, which is not allocated`);
    this.sizes.delete(ptr);
    let s = ptr, e = ptr + size;
    let i = 0;
    while (i < this.free.length && this.free[i]![0] < s) i++;
    const prev = this.free[i - 1], next = this.free[i];
    if (next && next[0] === e) { e = next[1]; this.free.splice(i, 1); }
    if (prev && prev[1] === s) { s = prev[0]; this.free.splice(--i, 1); }
    if (e === this.top) this.top = s;
    else this.free.splice(i, 0, [s, e]);
  }
}
