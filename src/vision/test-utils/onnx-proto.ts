/**
 * A minimal protobuf writer for tiny ONNX models, so the ONNX encoder tests
 * can write their own model instead of shipping a binary fixture. Field
 * numbers follow onnx/onnx.proto (ModelProto, GraphProto, NodeProto,
 * TensorProto, ValueInfoProto, TypeProto, AttributeProto).
 */

/** Wire types: 0 varint, 2 length-delimited, 5 fixed 32-bit. */
class Pb {
  private readonly parts: Buffer[] = [];

  private tag(field: number, wire: number): void {
    this.raw(varint((field << 3) | wire));
  }

  private raw(b: Buffer): void {
    this.parts.push(b);
  }

  int(field: number, v: number): this {
    this.tag(field, 0);
    this.raw(varint(v));
    return this;
  }

  float(field: number, v: number): this {
    this.tag(field, 5);
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.raw(b);
    return this;
  }

  bytes(field: number, b: Uint8Array): this {
    this.tag(field, 2);
    this.raw(varint(b.length));
    this.raw(Buffer.from(b));
    return this;
  }

  str(field: number, s: string): this {
    return this.bytes(field, Buffer.from(s, 'utf8'));
  }

  msg(field: number, m: Pb): this {
    return this.bytes(field, m.finish());
  }

  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** Base-128 varint of a non-negative integer (int64 fields; values here stay below 2^53). */
function varint(v: number): Buffer {
  const out: number[] = [];
  let n = v;
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return Buffer.from(out);
}

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  /** Integer attributes (e.g. Flatten's axis) and integer-list attributes (Transpose's perm). */
  ints?: Record<string, number | number[]>;
}

export interface OnnxValueInfo {
  name: string;
  /** Dimensions: a number is static, a string is symbolic (e.g. "N"). */
  shape: (number | string)[];
}

export interface OnnxInitializer {
  name: string;
  dims: number[];
  /** float32 data, or int64 data given as numbers (Reshape shapes). */
  data: Float32Array | { int64: number[] };
}

const FLOAT = 1;
const INT64 = 7;

function attribute(name: string, v: number | number[]): Pb {
  const a = new Pb().str(1, name);
  if (typeof v === 'number') return a.int(3, v).int(20, 2); // i, type INT
  for (const x of v) a.int(8, x); // ints
  return a.int(20, 7); // type INTS
}

function node(n: OnnxNode, i: number): Pb {
  const p = new Pb();
  for (const s of n.inputs) p.str(1, s);
  for (const s of n.outputs) p.str(2, s);
  p.str(3, `n${i}_${n.op}`).str(4, n.op);
  for (const [k, v] of Object.entries(n.ints ?? {})) p.msg(5, attribute(k, v));
  return p;
}

function valueInfo(v: OnnxValueInfo): Pb {
  const shape = new Pb();
  for (const d of v.shape) shape.msg(1, typeof d === 'number' ? new Pb().int(1, d) : new Pb().str(2, d));
  const tensorType = new Pb().int(1, FLOAT).msg(2, shape);
  return new Pb().str(1, v.name).msg(2, new Pb().msg(1, tensorType));
}

function initializer(t: OnnxInitializer): Pb {
  const p = new Pb();
  for (const d of t.dims) p.int(1, d);
  if (t.data instanceof Float32Array) {
    p.int(2, FLOAT).str(8, t.name).bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  } else {
    const raw = Buffer.alloc(8 * t.data.int64.length);
    t.data.int64.forEach((x, i) => raw.writeBigInt64LE(BigInt(x), 8 * i));
    p.int(2, INT64).str(8, t.name).bytes(9, raw);
  }
  return p;
}

/** Encodes an ONNX ModelProto (IR version 8, default-domain opset `opset`). */
export function onnxModel(spec: { nodes: OnnxNode[]; inputs: OnnxValueInfo[]; outputs: OnnxValueInfo[]; initializers?: OnnxInitializer[]; opset?: number }): Buffer {
  const graph = new Pb();
  spec.nodes.forEach((n, i) => graph.msg(1, node(n, i)));
  graph.str(2, 'vitrine_test');
  for (const t of spec.initializers ?? []) graph.msg(5, initializer(t));
  for (const v of spec.inputs) graph.msg(11, valueInfo(v));
  for (const v of spec.outputs) graph.msg(12, valueInfo(v));
  return new Pb()
    .int(1, 8)
    .str(2, 'vitrine-test')
    .msg(7, graph)
    .msg(8, new Pb().str(1, '').int(2, spec.opset ?? 13))
    .finish();
}
