import { convGeometry, geometryArray, outShape, type ConvAttrs } from '../conv-geometry.js';
import type { tf } from '../tf.js';
import { asWasmBackend, heapOf, offsetOf, type KernelArgs } from '../wasm.js';
import { activationCode, biasLength, type TensorAddon } from './addon.js';

/**
 * Native convolution kernels for the wasm backend (native/src/conv.c:
 * im2col/col2im + sgemm), in place on the wasm heap. Each returns undefined
 * for a case it does not cover (NCHW, non-float32, prelu, odd bias shapes),
 * and the caller then runs the wasm kernel it replaced.
 */

type Attrs = ConvAttrs & { activation?: string; leakyreluAlpha?: number; inputShape?: number[]; filterShape?: number[] };

const f32 = (...ts: (tf.TensorInfo | undefined)[]): boolean => ts.every((t) => t === undefined || t.dtype === 'float32');

/** Conv2D and FusedConv2D (bias + activation fused in the epilogue). */
export function nativeConv2D(args: KernelArgs, addon: TensorAddon): tf.TensorInfo | undefined {
  const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
  const attrs = args.attrs as unknown as Attrs;
  const act = activationCode(attrs.activation);
  if (x === undefined || filter === undefined || preluActivationWeights !== undefined || act === undefined || !f32(x, filter, bias)) return undefined;
  const g = convGeometry(x.shape, filter.shape, attrs);
  const blen = g === undefined ? undefined : biasLength(bias?.shape, g.cout);
  if (g === undefined || blen === undefined) return undefined;
  const backend = asWasmBackend(args.backend);
  const out = backend.makeOutput(outShape(g), 'float32');
  const biasOff = bias === undefined ? -1 : offsetOf(backend, bias);
  addon.conv2d(heapOf(backend), offsetOf(backend, x), offsetOf(backend, filter), offsetOf(backend, out), biasOff, geometryArray(g, blen), act, attrs.leakyreluAlpha ?? 0.2);
  return out;
}

/** Conv2DBackpropInput: dx of a convolution, and so also every transposed convolution's forward pass. */
export function nativeConv2DBackpropInput(args: KernelArgs, addon: TensorAddon): tf.TensorInfo | undefined {
  const { dy, filter } = args.inputs as Record<string, tf.TensorInfo | undefined>;
  const attrs = args.attrs as unknown as Attrs;
  if (dy === undefined || filter === undefined || attrs.inputShape === undefined || !f32(dy, filter)) return undefined;
  const g = convGeometry(attrs.inputShape, filter.shape, { ...attrs, dilations: 1 });
  if (g === undefined || g.oh !== dy.shape[1] || g.ow !== dy.shape[2]) return undefined;
  const backend = asWasmBackend(args.backend);
  const out = backend.makeOutput(attrs.inputShape, 'float32');
  addon.conv2dBackpropInput(heapOf(backend), offsetOf(backend, dy), offsetOf(backend, filter), offsetOf(backend, out), geometryArray(g));
  return out;
}

/** Conv2DBackpropFilter: dW of a convolution. */
export function nativeConv2DBackpropFilter(args: KernelArgs, addon: TensorAddon): tf.TensorInfo | undefined {
  const { x, dy } = args.inputs as Record<string, tf.TensorInfo | undefined>;
  const attrs = args.attrs as unknown as Attrs;
  if (x === undefined || dy === undefined || attrs.filterShape === undefined || !f32(x, dy)) return undefined;
  const g = convGeometry(x.shape, attrs.filterShape, { ...attrs, dilations: 1 });
  if (g === undefined || g.oh !== dy.shape[1] || g.ow !== dy.shape[2]) return undefined;
  const backend = asWasmBackend(args.backend);
  const out = backend.makeOutput(attrs.filterShape, 'float32');
  addon.conv2dBackpropFilter(heapOf(backend), offsetOf(backend, x), offsetOf(backend, dy), offsetOf(backend, out), geometryArray(g));
  return out;
}
