/** Builds protobuf messages (wire format) for ONNX reader tests. */

/** A message under construction: fields appended in order. */
export class Msg {
  readonly bytes: number[] = [];
  varintRaw(v: number | bigint): this {
    let b = BigInt.asUintN(64, BigInt(v));
    do {
      const byte = Number(b & 0x7fn);
      b >>= 7n;
      this.bytes.push(b ? byte | 0x80 : byte);
    } while (b);
    return this;
  }
  tag(field: number, wire: number): this { return this.varintRaw((field << 3) | wire); }
  varint(field: number, v: number | bigint): this { return this.tag(field, 0).varintRaw(v); }
  fixed32(field: number, b: Uint8Array): this { this.tag(field, 5); this.bytes.push(...b); return this; }
  len(field: number, payload: Uint8Array | number[] | Msg): this {
    const p = payload instanceof Msg ? payload.bytes : Array.from(payload);
    this.tag(field, 2).varintRaw(p.length);
    this.bytes.push(...p);
    return this;
  }
  str(field: number, s: string): this { return this.len(field, new TextEncoder().encode(s)); }
  done(): Uint8Array { return Uint8Array.from(this.bytes); }
}

/** A TensorProto with dims, data_type and name; the caller adds the data field. */
export function tensorProto(name: string, dims: number[], dataType: number): Msg {
  const m = new Msg();
  for (const d of dims) m.varint(1, d);
  return m.varint(2, dataType).str(8, name);
}

/** ModelProto { ir_version, producer_name, graph { nodes, initializers }, opset_import }. */
export function modelProto(initializers: Msg[], nodes: Msg[] = []): Uint8Array {
  const g = new Msg();
  for (const n of nodes) g.len(1, n);
  g.str(2, "g");
  for (const t of initializers) g.len(5, t);
  return new Msg().varint(1, 8).str(2, "test").str(3, "1.0").len(7, g).len(8, new Msg().str(1, "").varint(2, 18)).done();
}

/** NodeProto { input, output, name, op_type }. */
export function nodeProto(opType: string, inputs: string[], outputs: string[]): Msg {
  const m = new Msg();
  inputs.forEach((i) => m.str(1, i));
  outputs.forEach((o) => m.str(2, o));
  return m.str(3, `node_${outputs[0]}`).str(4, opType);
}
