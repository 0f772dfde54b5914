/**
 * A minimal ONNX protobuf writer for graphs built in memory (benchmarks, tests): ModelProto,
 * GraphProto, NodeProto (+ attributes), TensorProto (raw_data or external data) and
 * ValueInfoProto. Field numbers from onnx/onnx.proto3. Payloads are kept as Uint8Array parts,
 * so a 64 MiB initializer is copied once, into the final buffer.
 */

/** TensorProto.DataType values used here. */
export const OnnxType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, BOOL: 9, FLOAT16: 10 } as const;

/** An initializer: raw little-endian bytes in raw_data, or a range of an external file. */
export interface TensorSpec {
  name: string;
  dataType: number;
  dims: number[];
  data: Uint8Array;
  /** store as external data at this location/offset instead of raw_data (`data` is then unused) */
  external?: { location: string; offset: number };
}
/** A graph input or output: element type and shape (numbers or symbolic names). */
export interface ValueSpec { name: string; elemType: number; shape: Array<number | string> }
/** An attribute: integer, `{ float }`, string, or list of integers. */
export type AttrValue = number | { float: number } | string | number[];
/** A node: operator, inputs, outputs, optional domain (e.g. "com.microsoft") and attributes. */
export interface NodeSpec { opType: string; inputs: string[]; outputs: string[]; name?: string; domain?: string; attrs?: Record<string, AttrValue> }
/** A whole model: one graph plus its opset imports (default "" -> 18). */
export interface GraphSpec {
  nodes: NodeSpec[];
  inputs: ValueSpec[];
  outputs: ValueSpec[];
  initializers: TensorSpec[];
  opsets?: Record<string, number>;
}

/** A message under construction, as a list of byte parts. */
class Msg {
  parts: Uint8Array[] = [];
  size = 0;
  private push(b: Uint8Array): this { this.parts.push(b); this.size += b.length; return this; }
  private varintRaw(v: number | bigint): this {
    let x = BigInt.asUintN(64, BigInt(v));
    const out: number[] = [];
    do { const byte = Number(x & 0x7fn); x >>= 7n; out.push(x ? byte | 0x80 : byte); } while (x);
    return this.push(Uint8Array.from(out));
  }
  varint(field: number, v: number | bigint): this { return this.varintRaw(field << 3).varintRaw(v); }
  float(field: number, v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    return this.varintRaw((field << 3) | 5).push(b);
  }
  bytes(field: number, b: Uint8Array | Msg): this {
    this.varintRaw((field << 3) | 2);
    if (b instanceof Msg) { this.varintRaw(b.size); for (const p of b.parts) this.push(p); return this; }
    return this.varintRaw(b.length).push(b);
  }
  str(field: number, s: string): this { return this.bytes(field, new TextEncoder().encode(s)); }
  concat(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const p of this.parts) { out.set(p, o); o += p.length; }
    return out;
  }
}

/** TensorProto dims=1 data_type=2 name=8 raw_data=9 external_data=13 data_location=14. */
function tensor(t: TensorSpec): Msg {
  const m = new Msg();
  for (const d of t.dims) m.varint(1, d);
  m.varint(2, t.dataType).str(8, t.name);
  if (!t.external) return m.bytes(9, t.data);
  const entry = (k: string, v: string) => new Msg().str(1, k).str(2, v);
  m.bytes(13, entry("location", t.external.location)).bytes(13, entry("offset", String(t.external.offset)));
  return m.bytes(13, entry("length", String(t.data.length))).varint(14, 1);
}

/** AttributeProto name=1 f=2 i=3 s=4 ints=8 type=20 (FLOAT 1, INT 2, STRING 3, INTS 7). */
function attribute(name: string, v: AttrValue): Msg {
  const m = new Msg().str(1, name);
  if (typeof v === "number") return m.varint(3, v).varint(20, 2);
  if (typeof v === "string") return m.str(4, v).varint(20, 3);
  if (Array.isArray(v)) { for (const i of v) m.varint(8, i); return m.varint(20, 7); }
  return m.float(2, v.float).varint(20, 1);
}

/** NodeProto input=1 output=2 name=3 op_type=4 attribute=5 domain=7. */
function node(n: NodeSpec, i: number): Msg {
  const m = new Msg();
  for (const x of n.inputs) m.str(1, x);
  for (const x of n.outputs) m.str(2, x);
  m.str(3, n.name ?? `${n.opType}_${i}`).str(4, n.opType);
  for (const [k, v] of Object.entries(n.attrs ?? {})) m.bytes(5, attribute(k, v));
  if (n.domain) m.str(7, n.domain);
  return m;
}

/** ValueInfoProto name=1 type=2 { tensor_type=1 { elem_type=1 shape=2 { dim=1 { dim_value=1 | dim_param=2 } } } }. */
function valueInfo(v: ValueSpec): Msg {
  const shape = new Msg();
  for (const d of v.shape) shape.bytes(1, typeof d === "number" ? new Msg().varint(1, d) : new Msg().str(2, d));
  return new Msg().str(1, v.name).bytes(2, new Msg().bytes(1, new Msg().varint(1, v.elemType).bytes(2, shape)));
}

/** Encodes a ModelProto (ir_version 8) holding `g`. */
export function encodeModel(g: GraphSpec): Uint8Array {
  const graph = new Msg();
  g.nodes.forEach((n, i) => graph.bytes(1, node(n, i)));
  graph.str(2, "quantlens");
  for (const t of g.initializers) graph.bytes(5, tensor(t));
  for (const v of g.inputs) graph.bytes(11, valueInfo(v));
  for (const v of g.outputs) graph.bytes(12, valueInfo(v));
  const model = new Msg().varint(1, 8).str(2, "quantlens").bytes(7, graph);
  for (const [domain, version] of Object.entries(g.opsets ?? { "": 18 })) model.bytes(8, new Msg().str(1, domain).varint(2, version));
  return model.concat();
}

/** The raw bytes of a typed array (a view, not a copy). */
export function rawBytes(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
