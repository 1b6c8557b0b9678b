import { tf } from '../tf.js';
import { asWasmBackend, heapOf, offsetOf, type KernelArgs } from '../wasm.js';
import type { AdamAttrs } from '../optim/adam-kernel.js';
import type { TensorAddon } from './addon.js';

/**
 * Native Sum, LeakyRelu, VitrineLeakyReluGrad and VitrineAdam for the wasm backend: the
 * element-wise kernels that cost the most in a CNN step on wasm (Sum over
 * the leading N, H, W axes, i.e. every bias gradient, goes through a
 * transpose there; the optimizer step is ~14 kernels per parameter in
 * tfjs). Sum is covered when the reduced axes are the leading or the
 * trailing ones.
 */
export function nativeSum(args: KernelArgs, addon: TensorAddon): tf.TensorInfo | undefined {
  const x = args.inputs.x as tf.TensorInfo | undefined;
  const attrs = (args.attrs ?? {}) as { axis?: number | number[]; keepDims?: boolean };
  if (x === undefined || x.dtype !== 'float32' || x.shape.length === 0) return undefined;
  const axes = [...tf.util.parseAxisParam(attrs.axis ?? null as unknown as number[], x.shape)].sort((a, b) => a - b);
  const rank = x.shape.length;
  const k = axes.length;
  if (k === 0) return undefined;
  const leading = axes.every((a, i) => a === i);
  const trailing = axes.every((a, i) => a === rank - k + i);
  if (!leading && !trailing) return undefined;
  const split = leading ? k : rank - k;
  const rows = x.shape.slice(0, split).reduce((p, d) => p * d, 1);
  const cols = x.shape.slice(split).reduce((p, d) => p * d, 1);
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outShape = attrs.keepDims === true ? kept : x.shape.filter((_, i) => !axes.includes(i));
  const backend = asWasmBackend(args.backend);
  const out = backend.makeOutput(outShape, 'float32');
  addon.tensorSum(heapOf(backend), offsetOf(backend, x), offsetOf(backend, out), rows, cols, leading ? 1 : 0);
  return out;
}

export function nativeLeakyRelu(args: KernelArgs, addon: TensorAddon): tf.TensorInfo | undefined {
  const x = args.inputs.x as tf.TensorInfo | undefined;
  if (x === undefined || x.dtype !== 'float32') return undefined;
  const alpha = Number((args.attrs as { alpha?: number } | undefined)?.alpha ?? 0.2);
  const backend = asWasmBackend(args.backend);
  const out = backend.makeOutput(x.shape, 'float32');
  addon.tensorLeakyRelu(heapOf(backend), offsetOf(backend, x), offsetOf(backend, out), x.shape.reduce((p, d) => p * d, 1), alpha);
  return out;
}

export function nativeAdam(args: KernelArgs, addon: TensorAddon): tf.TensorInfo[] | undefined {
  const { x, m, v, g } = args.inputs as Record<string, tf.TensorInfo | undefined>;
  if (!x || !m || !v || !g || [x, m, v, g].some((t) => t.dtype !== 'float32')) return undefined;
  const a = args.attrs as unknown as AdamAttrs;
  const backend = asWasmBackend(args.backend);
  const outs = [0, 1, 2].map(() => backend.makeOutput(x.shape, 'float32'));
  const n = x.shape.reduce((p, d) => p * d, 1);
  const params = Float32Array.of(a.lr, a.beta1, a.beta2, a.eps, a.c1, a.c2);
  const off = (t: tf.TensorInfo): number => offsetOf(backend, t);
  addon.tensorAdam(heapOf(backend), off(x), off(m), off(v), off(g), off(outs[0]!), off(outs[1]!), off(outs[2]!), n, params);
  return outs;
}

export function nativeLeakyReluGrad(args: KernelArgs, addon: TensorAddon): tf.TensorInfo | undefined {
  const { dy, x } = args.inputs as Record<string, tf.TensorInfo | undefined>;
  if (!dy || !x || dy.dtype !== 'float32' || x.dtype !== 'float32') return undefined;
  const alpha = Number((args.attrs as { alpha?: number } | undefined)?.alpha ?? 0);
  const backend = asWasmBackend(args.backend);
  const out = backend.makeOutput(dy.shape, 'float32');
  addon.tensorLeakyReluGrad(heapOf(backend), offsetOf(backend, dy), offsetOf(backend, x), offsetOf(backend, out), dy.shape.reduce((p, d) => p * d, 1), alpha);
  return out;
}
