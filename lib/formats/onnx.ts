/**
 * ONNX reader, tinygrad `onnx.py` style: one function per proto message, reading only the
 * fields needed and skipping the rest by wire type. Messages and field numbers from
 * onnx/onnx.proto3:
 *
 *   ModelProto   ir_version=1 producer_name=2 producer_version=3 domain=4 model_version=5
 *                graph=7 opset_import=8 metadata_props=14
 *   GraphProto   node=1 name=2 initializer=5
 *   NodeProto    input=1 output=2 name=3 op_type=4
 *   TensorProto  dims=1 data_type=2 float_data=4 int32_data=5 int64_data=7 name=8 raw_data=9
 *                double_data=10 external_data=13 data_location=14
 *   StringStringEntryProto key=1 value=2;  OperatorSetIdProto domain=1 version=2
 *
 * Tensor data is never loaded: raw_data and packed float/double data are recorded as byte
 * ranges inside model.onnx (shard 0), external data as ranges inside the external file
 * (one shard per location). Only small varint-encoded (int32_data/int64_data) or unpacked
 * float_data payloads are decoded into memory, bounded by MAX_ONNX_INLINE_BYTES.
 */
import { BufferedReader } from "./buffered-reader.ts";
import { chunkStride, readTensorChunks } from "./chunks.ts";
import { FormatError } from "./errors.ts";
import { MAX_DIM, MAX_NUMEL, MAX_RANK, MAX_SHARDS, MAX_TENSOR_COUNT } from "./limits.ts";
import { ProtoReader, WireType } from "./protobuf.ts";
import { onnxNames, type GraphNode } from "./onnx-names.ts";
import { checkUniqueNames } from "./unique.ts";
import type { ByteSource, TensorInfo, TensorSource } from "./types.ts";
import { BLOCKS, type DType } from "../tensor/dtypes.ts";

/** Values decoded into memory (varint or unpacked payloads), over all tensors: real exports use raw_data. */
export const MAX_ONNX_INLINE_BYTES = 64 * 1024 * 1024;
/** Nodes recorded from the graph (for naming weights by their consumer): LLM exports have ~10k-100k. */
export const MAX_ONNX_NODES = 1_000_000;
/** opset_import entries: real models import a handful of domains. */
export const MAX_ONNX_OPSETS = 1_000;
/** metadata_props entries: real exports carry a few. */
export const MAX_ONNX_METADATA_PROPS = 100_000;
/**
 * What the reader records (nodes, names, initializer records) is charged at an estimate of its
 * JS heap size against ONNX_BUDGET_BASE + ONNX_BUDGET_PER_BYTE * file size: a message of 2
 * bytes costs ~150 bytes of objects, so without this a 50 MB file of empty nodes took 1.7 GB.
 * Real graphs cost about 2-3x their proto bytes.
 */
export const ONNX_BUDGET_BASE = 16 * 1024 * 1024;
export const ONNX_BUDGET_PER_BYTE = 6;
/** Estimated heap bytes per recorded object (V8: object header, fields, array backing). */
const COST = { node: 128, tensor: 192, opset: 64, prop: 64, string: 16 } as const;

/** TensorProto.DataType → DType (onnx.proto3 `enum DataType`); BOOL is stored as one byte, read as U8. */
export const ONNX_DTYPES: Record<number, DType> = {
  1: "F32", 2: "U8", 3: "I8", 5: "I16", 6: "I32", 7: "I64", 9: "U8", 10: "F16", 11: "F64", 16: "BF16",
};
const ONNX_TYPE_NAMES: Record<number, string> = {
  0: "UNDEFINED", 4: "UINT16", 8: "STRING", 12: "UINT32", 13: "UINT64", 14: "COMPLEX64", 15: "COMPLEX128",
  17: "FLOAT8E4M3FN", 18: "FLOAT8E4M3FNUZ", 19: "FLOAT8E5M2", 20: "FLOAT8E5M2FNUZ", 21: "UINT4", 22: "INT4",
};

/** Where an initializer's bytes live. */
type DataRef =
  | { kind: "range"; offset: number; length: number }             // inside model.onnx
  | { kind: "inline"; bytes: Uint8Array }                          // decoded varints / unpacked floats
  | { kind: "external"; location: string; offset: number; length?: number }
  | { kind: "none" };

interface OnnxTensor { name: string; dims: number[]; dataType: number; data: DataRef }
/** One graph node: its operator and inputs (enough to tell how a weight is used). */
type OnnxNode = GraphNode;

/** Parse state shared by the message functions: inline bytes and the recording budget. */
interface Ctx { inlineBytes: number; used: number; budget: number }

/** Charges `cost` estimated heap bytes for recording `what`; FormatError past the budget. */
function charge(m: ProtoReader, ctx: Ctx, what: string, cost: number): void {
  ctx.used += cost;
  if (ctx.used > ctx.budget) {
    throw m.error(what, `recording the graph needs more than its memory budget of ${ctx.budget} bytes (${ONNX_BUDGET_PER_BYTE} per file byte + ${ONNX_BUDGET_BASE}); not a real model?`);
  }
}
/** Estimated heap bytes of a recorded string. */
const strCost = (s: string) => COST.string + s.length;

// ---------------------------------------------------------------- messages

/** StringStringEntryProto → [key, value]. */
async function parseStringStringEntryProto(m: ProtoReader): Promise<[string, string]> {
  let key = "", value = "";
  while (!m.done) {
    const { field, wireType } = await m.tag();
    switch (field) {
      case 1: key = await m.string("key"); break;
      case 2: value = await m.string("value"); break;
      default: await m.skip(wireType);
    }
  }
  return [key, value];
}

/** OperatorSetIdProto → { domain, version }. */
async function parseOperatorSetIdProto(m: ProtoReader): Promise<{ domain: string; version: number }> {
  let domain = "", version = 0;
  while (!m.done) {
    const { field, wireType } = await m.tag();
    switch (field) {
      case 1: domain = await m.string("domain"); break;
      case 2: version = Number(await m.int64("version")); break;
      default: await m.skip(wireType);
    }
  }
  return { domain, version };
}

/** NodeProto → op type, name, inputs, outputs (attributes skipped); charged to ctx's budget. */
async function parseNodeProto(m: ProtoReader, ctx: Ctx): Promise<OnnxNode> {
  const node: OnnxNode = { opType: "", name: "", inputs: [], outputs: [] };
  charge(m, ctx, "node", COST.node);
  const str = async (what: string) => { const v = await m.string(what); charge(m, ctx, what, strCost(v)); return v; };
  while (!m.done) {
    const { field, wireType } = await m.tag();
    switch (field) {
      case 1: node.inputs.push(await str("input")); break;
      case 2: node.outputs.push(await str("output")); break;
      case 3: node.name = await str("name"); break;
      case 4: node.opType = await str("op_type"); break;
      default: await m.skip(wireType);
    }
  }
  return node;
}

/** Reads a repeated scalar field, packed (LEN) or not, calling `one` per element. */
async function repeated(m: ProtoReader, wireType: number, scalar: number, name: string, one: (r: ProtoReader) => Promise<void>) {
  if (wireType === scalar) return one(m);
  if (wireType !== WireType.LEN) throw m.error(name, `wire type ${wireType} (expected ${scalar} or packed)`);
  const p = await m.sub(name);
  p.wire = scalar; // packed elements carry no tags
  while (!p.done) await one(p);
}

/** Packed fixed-width payload (float_data, double_data) in model.onnx: a byte range, no read. */
async function packedRange(m: ProtoReader, name: string): Promise<DataRef> {
  const length = await m.length(name);
  const offset = m.offset;
  m.skipBytes(length, name);
  return { kind: "range", offset, length };
}

/** A growable byte buffer for decoded values, charged against the shared inline budget. */
class InlineBytes {
  buf = new Uint8Array(64);
  len = 0;
  constructor(private readonly ctx: Ctx) {}
  push(m: ProtoReader, bytes: Uint8Array, name: string): void {
    this.ctx.inlineBytes += bytes.length;
    if (this.ctx.inlineBytes > MAX_ONNX_INLINE_BYTES) {
      throw m.error(name, `more than ${MAX_ONNX_INLINE_BYTES} bytes of non-raw tensor data (store weights as raw_data)`);
    }
    if (this.len + bytes.length > this.buf.length) {
      const grown = new Uint8Array(Math.max(this.buf.length * 2, this.len + bytes.length));
      grown.set(this.buf.subarray(0, this.len));
      this.buf = grown;
    }
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }
}

/** Encodes an int32_data/int64_data element as the bytes of `dataType`. */
function encodeInt(dataType: number, v: bigint): Uint8Array {
  const dt = ONNX_DTYPES[dataType];
  const size = dt ? BLOCKS[dt].bytes : 8;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  if (size === 1) dv.setUint8(0, Number(BigInt.asUintN(8, v)));
  else if (size === 2) dv.setUint16(0, Number(BigInt.asUintN(16, v)), true); // F16/BF16 bits, or I16
  else if (size === 4) dv.setInt32(0, Number(BigInt.asIntN(32, v)), true);
  else dv.setBigInt64(0, BigInt.asIntN(64, v), true);
  return out;
}

/** TensorProto → name, dims, data type and where its data is (never the data itself). */
async function parseTensorProto(m: ProtoReader, ctx: Ctx): Promise<OnnxTensor> {
  const t: OnnxTensor = { name: "", dims: [], dataType: 0, data: { kind: "none" } };
  charge(m, ctx, "initializer", COST.tensor);
  const ext: Record<string, string> = {};
  const inline = new InlineBytes(ctx);
  let external = false;
  while (!m.done) {
    const { field, wireType } = await m.tag();
    switch (field) {
      case 1:
        await repeated(m, wireType, WireType.VARINT, "dims", async (p) => {
          if (t.dims.length >= MAX_RANK) throw p.error("dims", `more than ${MAX_RANK} dimensions`);
          const d = await p.int64("dims");
          if (d < 0n || d > BigInt(MAX_DIM)) throw p.error("dims", `${d} is outside [0, ${MAX_DIM}]`);
          t.dims.push(Number(d));
        });
        break;
      case 2: t.dataType = await m.uint("data_type"); break;
      case 8: t.name = await m.string("name"); charge(m, ctx, "name", strCost(t.name)); break;
      case 9: t.data = await packedRange(m, "raw_data"); break;
      case 4: // float_data
      case 10: // double_data
        if (wireType === WireType.LEN) { t.data = await packedRange(m, field === 4 ? "float_data" : "double_data"); break; }
        await repeated(m, wireType, field === 4 ? WireType.I32 : WireType.I64, "float_data", async (p) => {
          inline.push(p, await p.r.bytes(field === 4 ? 4 : 8, `${p.path}.float_data`), "float_data");
        });
        break;
      case 5: // int32_data (also F16/BF16 bits, I8/U8/I16/BOOL)
      case 7: // int64_data
        await repeated(m, wireType, WireType.VARINT, field === 5 ? "int32_data" : "int64_data", async (p) => {
          inline.push(p, encodeInt(t.dataType, await p.int64("int_data")), "int_data");
        });
        break;
      case 13: {
        const [k, v] = await parseStringStringEntryProto(await m.sub("external_data"));
        charge(m, ctx, "external_data", COST.prop + strCost(k) + strCost(v));
        ext[k] = v;
        break;
      }
      case 14: external = (await m.uint("data_location")) === 1; break;
      default: await m.skip(wireType);
    }
  }
  if (inline.len > 0) t.data = { kind: "inline", bytes: inline.buf.slice(0, inline.len) };
  if (external) {
    const num = (k: string) => {
      if (ext[k] === undefined) return undefined;
      if (!/^\d+$/.test(ext[k]!)) throw m.error(`external_data ${k}`, `tensor "${t.name}": "${ext[k]}" is not a byte count`);
      return Number(ext[k]);
    };
    if (!ext.location) throw m.error("external_data", `tensor "${t.name}" has data_location EXTERNAL but no location`);
    t.data = { kind: "external", location: ext.location, offset: num("offset") ?? 0, length: num("length") };
  }
  return t;
}

/** GraphProto → initializers and nodes. */
async function parseGraphProto(m: ProtoReader, ctx: Ctx) {
  const initializers: OnnxTensor[] = [];
  const nodes: OnnxNode[] = [];
  let name = "";
  while (!m.done) {
    const { field, wireType } = await m.tag();
    switch (field) {
      case 1:
        if (nodes.length >= MAX_ONNX_NODES) throw m.error("node", `more than ${MAX_ONNX_NODES} nodes`);
        nodes.push(await parseNodeProto(await m.sub(`node[${nodes.length}]`), ctx));
        break;
      case 2: name = await m.string("name"); break;
      case 5:
        if (initializers.length >= MAX_TENSOR_COUNT) throw m.error("initializer", `more than ${MAX_TENSOR_COUNT} initializers`);
        initializers.push(await parseTensorProto(await m.sub(`initializer[${initializers.length}]`), ctx));
        break;
      default: await m.skip(wireType);
    }
  }
  return { name, initializers, nodes };
}

/** ModelProto → producer, opsets, metadata_props and the graph. */
async function parseModelProto(m: ProtoReader, ctx: Ctx) {
  const meta: Record<string, unknown> = {};
  const opsets: { domain: string; version: number }[] = [];
  const props: Record<string, string> = {};
  let nProps = 0;
  let graph: Awaited<ReturnType<typeof parseGraphProto>> | null = null;
  while (!m.done) {
    const { field, wireType } = await m.tag();
    switch (field) {
      case 1: meta["onnx.ir_version"] = Number(await m.int64("ir_version")); break;
      case 2: meta["onnx.producer_name"] = await m.string("producer_name"); break;
      case 3: meta["onnx.producer_version"] = await m.string("producer_version"); break;
      case 4: meta["onnx.domain"] = await m.string("domain"); break;
      case 5: meta["onnx.model_version"] = Number(await m.int64("model_version")); break;
      case 7: graph = await parseGraphProto(await m.sub("graph"), ctx); break;
      case 8: {
        if (opsets.length >= MAX_ONNX_OPSETS) throw m.error("opset_import", `more than ${MAX_ONNX_OPSETS} entries`);
        const o = await parseOperatorSetIdProto(await m.sub("opset_import"));
        charge(m, ctx, "opset_import", COST.opset + strCost(o.domain));
        opsets.push(o);
        break;
      }
      case 14: {
        if (++nProps > MAX_ONNX_METADATA_PROPS) throw m.error("metadata_props", `more than ${MAX_ONNX_METADATA_PROPS} entries`);
        const [k, v] = await parseStringStringEntryProto(await m.sub("metadata_props"));
        charge(m, ctx, "metadata_props", COST.prop + strCost(k) + strCost(v));
        props[k] = v;
        break;
      }
      default: await m.skip(wireType);
    }
  }
  if (!graph) throw m.error("graph", "missing (not an ONNX model?)");
  return { meta: { ...meta, "onnx.opset_import": opsets, "onnx.metadata_props": props, "onnx.graph_name": graph.name }, graph };
}

// ---------------------------------------------------------------- tensors

/** Safe relative path for external data: no absolute paths, no `..`, no URL schemes. */
function checkLocation(file: string, tensor: string, location: string): void {
  if (location.startsWith("/") || location.startsWith("\\") || /^[a-zA-Z]:/.test(location) ||
      location.split(/[\\/]/).includes("..") || location.includes("\0")) {
    throw new FormatError(file, `tensor "${tensor}" external_data location`, `"${location}" is not a relative path inside the model folder`);
  }
}

/** Options for openOnnx. */
export interface OpenOnnxOptions {
  /** opens an external data file named by a tensor's `location` (relative to model.onnx) */
  resolveExternal?: (location: string) => Promise<ByteSource>;
  name?: string;
}

/** Opens an ONNX model: initializers become tensors (HF names where the graph tells them). */
export async function openOnnx(src: ByteSource, opts: OpenOnnxOptions = {}): Promise<TensorSource> {
  const ctx: Ctx = { inlineBytes: 0, used: 0, budget: ONNX_BUDGET_BASE + ONNX_BUDGET_PER_BYTE * src.size };
  const r = new BufferedReader(src);
  const { meta, graph } = await parseModelProto(new ProtoReader(r, src.size, "ModelProto"), ctx);
  const shards: ByteSource[] = [src];
  const shardOf = new Map<string, number>();
  const inline = new Map<string, Uint8Array>(); // by initializer name
  const tensors: TensorInfo[] = [];
  try {
    for (const t of graph.initializers) {
      const field = `tensor "${t.name}"`;
      const dtype = ONNX_DTYPES[t.dataType];
      if (!dtype) {
        throw new FormatError(src.name, `${field} data_type`,
          `${ONNX_TYPE_NAMES[t.dataType] ?? "unknown"} (${t.dataType}) is not supported`);
      }
      const numel = t.dims.reduce((a, b) => a * b, 1);
      if (numel > MAX_NUMEL) throw new FormatError(src.name, `${field} dims`, `${numel} elements exceed ${MAX_NUMEL}`);
      const byteLength = numel * BLOCKS[dtype].bytes;
      const info: TensorInfo = { name: t.name, fileName: t.name, dtype, shape: t.dims, numel, shard: 0, byteOffset: 0, byteLength };
      const d = t.data;
      if (d.kind === "none") {
        if (numel !== 0) throw new FormatError(src.name, field, `has ${numel} elements but no data`);
      } else if (d.kind === "range") {
        if (d.length !== byteLength) throw new FormatError(src.name, `${field} raw_data`, `${d.length} bytes, expected ${byteLength} for ${dtype}[${t.dims}]`);
        info.byteOffset = d.offset;
      } else if (d.kind === "inline") {
        if (d.bytes.length !== byteLength) throw new FormatError(src.name, `${field} data`, `${d.bytes.length} bytes of values, expected ${byteLength}`);
        inline.set(t.name, d.bytes);
      } else {
        checkLocation(src.name, t.name, d.location);
        let shard = shardOf.get(d.location);
        if (shard === undefined) {
          if (!opts.resolveExternal) {
            throw new FormatError(src.name, `${field} external_data`, `needs "${d.location}" but no way to open external files was given`);
          }
          if (shards.length > MAX_SHARDS) throw new FormatError(src.name, `${field} external_data`, `more than ${MAX_SHARDS} external files`);
          let ext: ByteSource;
          try {
            ext = await opts.resolveExternal(d.location);
          } catch (e) {
            if (e instanceof FormatError) throw e;
            throw new FormatError(src.name, `${field} external_data`, `cannot open "${d.location}": ${(e as Error).message}`);
          }
          shard = shards.push(ext) - 1;
          shardOf.set(d.location, shard);
        }
        const ext = shards[shard]!;
        if (d.length !== undefined && d.length !== byteLength) {
          throw new FormatError(ext.name, `${field} length`, `${d.length} bytes, expected ${byteLength} for ${dtype}[${t.dims}]`);
        }
        if (d.offset + byteLength > ext.size) {
          throw new FormatError(ext.name, `${field} offset`, `data [${d.offset}, ${d.offset + byteLength}) ends past the file size ${ext.size}`);
        }
        info.shard = shard;
        info.byteOffset = d.offset;
      }
      tensors.push(info);
    }
  } catch (e) {
    await Promise.all(shards.slice(1).map((s) => s.close().catch(() => undefined)));
    throw e;
  }
  checkUniqueNames(src.name, tensors); // initializer names
  const named = onnxNames(tensors, graph.nodes);
  checkUniqueNames(src.name, named.tensors); // after mapping to Hugging Face names
  return {
    format: "onnx",
    name: opts.name ?? src.name,
    tensors: named.tensors,
    buffers: named.buffers,
    config: named.config,
    metadata: { ...meta, "onnx.constants": named.constants },
    shards,
    readRaw: (t, chunkBytes) => {
      const bytes = inline.get(t.fileName);
      if (bytes) {
        const stride = chunkStride(t, chunkBytes);
        return (async function* () { for (let o = 0; o < bytes.length; o += stride) yield bytes.subarray(o, o + stride); })();
      }
      return readTensorChunks(shards[t.shard]!, t, chunkBytes);
    },
    close: async () => { await Promise.all(shards.map((s) => s.close())); },
  };
}
