import type { InferenceSession } from 'onnxruntime-node';
import { fail } from '../core/errors.js';
import type { OnnxEncoderConfig, OnnxLayout } from './onnx-config.js';

/**
 * The ONNX model's input and output, checked against the config before any
 * image is run (clear errors instead of an onnxruntime shape message), the
 * input tensor built from prepared images, and the output pooled into one
 * vector per image.
 */

type Dim = number | string;

export interface ModelIo {
  inputName: string;
  outputName: string;
  /** A static batch size the model insists on (e.g. 1), or null when the batch axis is free. */
  fixedBatch: number | null;
}

const fmt = (shape: readonly Dim[]): string => `[${shape.map(String).join(', ')}]`;

function pickName(kind: 'input' | 'output', names: readonly string[], chosen: string | null): string {
  if (chosen !== null) {
    if (!names.includes(chosen)) fail('INVALID_ARGUMENT', `the model has no ${kind} "${chosen}" (its ${kind}s: ${names.join(', ')})`);
    return chosen;
  }
  if (kind === 'input' && names.length !== 1) {
    fail('INVALID_ARGUMENT', `the model has ${names.length} inputs (${names.join(', ')}); say which takes the image`, { hint: 'set inputName' });
  }
  const first = names[0];
  if (first === undefined) fail('MODEL_INCOMPATIBLE', `the model has no ${kind}s`);
  return first;
}

function channelAxis(layout: OnnxLayout): number {
  return layout === 'nchw' ? 1 : 3;
}

/** Checks the image input's type and static dimensions against the config. */
function checkInputShape(name: string, shape: readonly Dim[], c: Readonly<OnnxEncoderConfig>): number | null {
  if (shape.length !== 4) fail('MODEL_INCOMPATIBLE', `input "${name}" has shape ${fmt(shape)}; an image backbone takes a 4-d [N, C, H, W] or [N, H, W, C] tensor`);
  const ch = shape[channelAxis(c.layout)];
  if (typeof ch === 'number' && ch !== 3) {
    const other: OnnxLayout = c.layout === 'nchw' ? 'nhwc' : 'nchw';
    const hint = shape[channelAxis(other)] === 3 ? `set layout to ${other}` : undefined;
    fail('MODEL_INCOMPATIBLE', `input "${name}" has shape ${fmt(shape)}: ${ch} channels where layout ${c.layout} expects 3`, hint ? { hint } : {});
  }
  const spatial = c.layout === 'nchw' ? [shape[2], shape[3]] : [shape[1], shape[2]];
  for (const d of spatial) {
    if (typeof d === 'number' && d !== c.inputSize) {
      fail('MODEL_INCOMPATIBLE', `input "${name}" takes ${spatial.map(String).join('x')} images but inputSize is ${c.inputSize}`, {
        hint: `set inputSize to ${d}`,
      });
    }
  }
  const batch = shape[0];
  return typeof batch === 'number' && batch > 0 ? batch : null;
}

/** Resolves and checks the input and output the encoder uses. */
export function checkModelIo(session: InferenceSession, c: Readonly<OnnxEncoderConfig>): ModelIo {
  const inputName = pickName('input', session.inputNames, c.inputName);
  const outputName = pickName('output', session.outputNames, c.outputName);
  const inMeta = session.inputMetadata[session.inputNames.indexOf(inputName)];
  const outMeta = session.outputMetadata[session.outputNames.indexOf(outputName)];
  let fixedBatch: number | null = null;
  if (inMeta !== undefined) {
    if (!inMeta.isTensor || inMeta.type !== 'float32') fail('MODEL_INCOMPATIBLE', `input "${inputName}" is not a float32 tensor`);
    if (inMeta.shape.length > 0) fixedBatch = checkInputShape(inputName, inMeta.shape, c);
  }
  if (outMeta !== undefined && (!outMeta.isTensor || outMeta.type !== 'float32')) {
    fail('MODEL_INCOMPATIBLE', `output "${outputName}" is not a float32 tensor`);
  }
  return { inputName, outputName, fixedBatch };
}

/**
 * The model input for `count` images (NHWC floats in [0, 1], side s), padded
 * with zeros to `rows` images: (x * pixelScale - mean[c]) / std[c] in the
 * model's channel order and layout.
 */
export function inputTensorData(nhwc: Float32Array, count: number, rows: number, c: Readonly<OnnxEncoderConfig>): Float32Array {
  const s = c.inputSize;
  const hw = s * s;
  const out = new Float32Array(rows * hw * 3);
  for (let ch = 0; ch < 3; ch++) {
    const src = c.channelOrder === 'rgb' ? ch : 2 - ch;
    const mean = c.mean[ch]!;
    const inv = 1 / c.std[ch]!;
    for (let n = 0; n < count; n++) {
      const base = n * hw * 3;
      for (let p = 0; p < hw; p++) {
        const v = (nhwc[base + p * 3 + src]! * c.pixelScale - mean) * inv;
        out[c.layout === 'nchw' ? base + ch * hw + p : base + p * 3 + ch] = v;
      }
    }
  }
  return out;
}

/** One vector per image from an output of shape `dims` ([N, ...]); rows past `count` are padding. */
export function poolOutput(data: Float32Array, dims: readonly number[], count: number, c: Readonly<OnnxEncoderConfig>): Float32Array[] {
  const n = dims[0] ?? 0;
  if (dims.length < 2 || n < count) fail('MODEL_INCOMPATIBLE', `output has shape ${fmt(dims)}; expected one row per image (${count})`);
  const per = dims.slice(1).reduce((a, b) => a * b, 1);
  const rows = Array.from({ length: count }, (_, i) => data.subarray(i * per, (i + 1) * per));
  const mode = c.pooling === 'auto' ? (dims.length === 4 ? 'avg' : dims.length === 3 ? 'first-token' : 'none') : c.pooling;
  if (mode === 'none') return rows.map((r) => Float32Array.from(r));
  if (dims.length === 2) fail('INVALID_ARGUMENT', `pooling "${mode}" needs a 3-d or 4-d output; "${c.outputName ?? 'output'}" has shape ${fmt(dims)}`);
  if (dims.length === 3) {
    const [t, d] = [dims[1]!, dims[2]!];
    return rows.map((r) => (mode === 'first-token' ? Float32Array.from(r.subarray(0, d)) : meanOver(r, t, d)));
  }
  if (dims.length !== 4 || mode === 'first-token') fail('INVALID_ARGUMENT', `pooling "${mode}" does not apply to an output of shape ${fmt(dims)}`);
  // Global average pooling over H x W; channels where featureLayout says.
  const [a, b, d] = [dims[1]!, dims[2]!, dims[3]!];
  return c.featureLayout === 'nchw' ? rows.map((r) => meanBlocks(r, a, b * d)) : rows.map((r) => meanOver(r, a * b, d));
}

/** Mean over `count` consecutive rows of `d` values (tokens, or NHWC positions). */
function meanOver(r: Float32Array, count: number, d: number): Float32Array {
  const out = new Float32Array(d);
  for (let t = 0; t < count; t++) for (let j = 0; j < d; j++) out[j] = out[j]! + r[t * d + j]!;
  for (let j = 0; j < d; j++) out[j] = out[j]! / count;
  return out;
}

/** Mean of each of `channels` contiguous blocks of `len` values (NCHW global average pooling). */
function meanBlocks(r: Float32Array, channels: number, len: number): Float32Array {
  const out = new Float32Array(channels);
  for (let ch = 0; ch < channels; ch++) {
    let s = 0;
    for (let p = ch * len; p < (ch + 1) * len; p++) s += r[p]!;
    out[ch] = s / len;
  }
  return out;
}
